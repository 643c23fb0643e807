#!/usr/bin/env bash
# Serving benchmark of a pipeline cut into 1, 2 and 3 stages, each stage its own silo process on
# this machine (Redis membership), measured through the HTTP API with `bench` at several
# concurrencies. Prints one line per (stages, concurrency) and writes JSON results under $OUT.
#
#   tests/Benchmarks/pipeline-bench.sh                 # synthetic:llama-110m, stages 1 2 3, concurrency 1 8 32
#   MODEL=../shared/models/stories260K/stories260K.bin tests/Benchmarks/pipeline-bench.sh
#
# Needs redis-server on PATH. Each process gets OMP_NUM_THREADS = cores / stages (or
# THREADS_PER_STAGE) so the stages share the machine's cores instead of fighting over them.
set -euo pipefail
cd "$(dirname "$0")/../.."

MODEL=${MODEL:-synthetic:llama-110m}
# Random weights sample ids all over the vocabulary: a real 32,000-token vocabulary (Llama 2's)
# makes every id decode to text, which the benchmark counts.
TOKENIZER=${TOKENIZER:-../shared/models/llama-2-tiny-random/llama-2-tiny-random.gguf}
STAGES=${STAGES:-"1 2 3"}
CONCURRENCY=${CONCURRENCY:-"1 8 32"}
PROMPTS_PER_SLOT=${PROMPTS_PER_SLOT:-2}
WARMUP_RUNS=${WARMUP_RUNS:-2}
INPUT_LEN=${INPUT_LEN:-16}
OUTPUT_LEN=${OUTPUT_LEN:-32}
KV_MB=${KV_MB:-512}
OUT=${OUT:-BenchmarkDotNet.Artifacts/pipeline}
REDIS_PORT=${REDIS_PORT:-6390}
CORES=$(nproc)

dotnet build -c Release Silo/Silo.csproj -v q -nologo >/dev/null
dotnet build -c Release Client/Client.csproj -v q -nologo >/dev/null
SILO=$(ls Silo/bin/Release/net10.0/*/Cluster.Silo.dll | head -n 1)
CLIENT=$(ls Client/bin/Release/net10.0/*/Cluster.Client.dll | head -n 1)
mkdir -p "$OUT"

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true; }
trap cleanup EXIT

for stages in $STAGES; do
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes >/dev/null
  threads=${THREADS_PER_STAGE:-$(( CORES / stages > 0 ? CORES / stages : 1 ))}
  for ((s = 0; s < stages; s++)); do
    # Stage s of the silo's balanced split: the LM head counts on the last stage (docs/cluster.md).
    OMP_NUM_THREADS=$threads Logging__LogLevel__Default=Warning dotnet "$SILO" --model "$MODEL" --tokenizer "$TOKENIZER" --stage-count "$stages" --stages "$s" \
      --redis "127.0.0.1:$REDIS_PORT" --cluster-id "bench$stages" --silo-port $((12100 + s)) --gateway-port $((32100 + s)) \
      --http-port $((18100 + s)) --kv-cache-mb "$KV_MB" --max-concurrent-requests 256 --max-queued-requests 1024 \
      > "$OUT/silo-$stages-$s.log" 2>&1 &
    pids+=($!)
  done
  url=http://127.0.0.1:18100
  for _ in $(seq 1 300); do curl -sf "$url/ready" >/dev/null 2>&1 && break; sleep 1; done
  curl -sf "$url/ready" >/dev/null || { echo "pipeline of $stages stages never became ready"; tail -n 20 "$OUT"/silo-"$stages"-*.log; exit 1; }
  model_id=$(curl -sf "$url/v1/models" | sed -n 's/.*"id":"\([^"]*\)".*/\1/p' | head -n 1)
  echo "stages=$stages $(grep -ho 'layers=[^ ]*' "$OUT"/silo-"$stages"-*.log | tr '\n' ' ')"
  for c in $CONCURRENCY; do
    # Unrecorded runs at the same load first: fresh silos compile their hot paths again (tiered
    # JIT) during their first few hundred passes, which a couple of warm-up requests miss.
    # At least 16 requests each, so that even one sequence makes some 500 passes.
    warmup_prompts=$(( c * PROMPTS_PER_SLOT > 16 ? c * PROMPTS_PER_SLOT : 16 ))
    for ((w = 0; w < WARMUP_RUNS; w++)); do
      dotnet "$CLIENT" bench --url "$url" --model "$model_id" --dataset fixed --input-len "$INPUT_LEN" --output-len "$OUTPUT_LEN" \
        --max-concurrency "$c" --num-prompts "$warmup_prompts" > /dev/null
    done
    dotnet "$CLIENT" bench --url "$url" --model "$model_id" --dataset fixed --input-len "$INPUT_LEN" --output-len "$OUTPUT_LEN" \
      --max-concurrency "$c" --num-prompts $((c * PROMPTS_PER_SLOT)) --num-warmups 2 \
      --result-file "$OUT/stages-$stages-c$c.json" > "$OUT/stages-$stages-c$c.txt"
    tps=$(grep -i "Output token throughput" "$OUT/stages-$stages-c$c.txt" | grep -o '[0-9.]*' | head -n 1)
    tpot=$(grep -i "Median TPOT" "$OUT/stages-$stages-c$c.txt" | grep -o '[0-9.]*' | head -n 1)
    echo "stages=$stages concurrency=$c output_tokens_per_s=$tps median_tpot_ms=$tpot"
  done
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  pids=()
  redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
done
