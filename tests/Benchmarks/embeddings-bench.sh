#!/usr/bin/env bash
# Embeddings per second through POST /v1/embeddings of a silo with its default options (model
# paths aside): one sentence per request one at a time, one per request from CONCURRENCY callers
# at once (the stage grain batches them), and 32 sentences per request. The sentences are those of
# the engine's EmbeddingBenchmarks (~16 tokens each), so the figures sit beside
#   dotnet run -c Release --project tests/Benchmarks -- --filter '*EmbeddingBenchmarks*'
#
#   tests/Benchmarks/embeddings-bench.sh            (MODEL=../shared/models/all-MiniLM-L6-v2-hf)
set -euo pipefail
cd "$(dirname "$0")/../.."

MODEL=${MODEL:-../shared/models/all-MiniLM-L6-v2-hf}
REQUESTS=${REQUESTS:-100}
CONCURRENCY=${CONCURRENCY:-8}
PORT=${PORT:-18300}
OUT=${OUT:-BenchmarkDotNet.Artifacts/embeddings-bench}
mkdir -p "$OUT"

dotnet build -c Release Silo/Silo.csproj -v q -nologo >/dev/null
SILO=$(ls Silo/bin/Release/net10.0/*/Cluster.Silo.dll | head -n 1)
env Logging__LogLevel__Default=Warning dotnet "$SILO" --embedding-model "$MODEL" --embedding-model-name bench \
  --urls "http://127.0.0.1:$PORT" > "$OUT/silo.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT/ready" >/dev/null 2>&1 && break; sleep 1; done

# The load: python3's http.client over keep-alive connections, one per caller (curl started per
# request would cost more than the request).
python3 - "$PORT" "$REQUESTS" "$CONCURRENCY" <<'PY'
import http.client, json, sys, threading, time
port, requests, callers = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
sentences = [
    "The quick brown fox jumps over the lazy dog near the river bank today.",
    "Embeddings map sentences to vectors, and similar sentences lie close together.",
    "How do I reset my password? I forgot it yesterday and cannot log in now.",
    "Pipeline parallelism cuts a model into stages, each holding a range of layers.",
]
def run(bodies):
    connection = http.client.HTTPConnection("127.0.0.1", port)
    for body in bodies:
        connection.request("POST", "/v1/embeddings", body, {"Content-Type": "application/json"})
        response = connection.getresponse(); response.read()
        if response.status != 200: raise SystemExit(f"HTTP {response.status}")
def one(i): return json.dumps({"model": "bench", "input": sentences[i % 4]})
batch = json.dumps({"model": "bench", "input": [sentences[i % 4] for i in range(32)]})
run([one(i) for i in range(10)] + [batch] * 5)  # warm-up
def measure(label, bodies_per_caller, embeddings):
    threads = [threading.Thread(target=run, args=(b,)) for b in bodies_per_caller]
    start = time.perf_counter()
    for t in threads: t.start()
    for t in threads: t.join()
    print(f"{label}: {embeddings / (time.perf_counter() - start):.1f} embeddings/s")
measure("batch 1, one caller", [[one(i) for i in range(requests)]], requests)
measure(f"batch 1, {callers} callers", [[one(i) for i in range(requests // callers)] for _ in range(callers)], requests // callers * callers)
measure("batch 32, one caller", [[batch] * (requests // 5)], requests // 5 * 32)
PY
