#!/usr/bin/env bash
# What a user gets through the OpenAI API against what the engine does alone, on one model file in
# one run: engine-bench's decode at 1 and 32 sequences, then the same model served by a silo with
# its default options (model path aside) and measured with `bench` at 1 and 32 streams; with
# PEER=1 also llama.cpp's server on the same GGUF through the same `bench`. Prints one line per
# figure and the ratios served / engine and served / llama.cpp; results land in $OUT.
#
#   ../shared/peers/make-models.sh /tmp/peer-models
#   MODEL=/tmp/peer-models/M-f32.gguf PEER=1 tests/Benchmarks/served-vs-engine.sh
#
# The 110M GGUF says context_length 128, so the default workload (16 prompt + 32 output tokens)
# fits it. TTFT_LEN=500 adds time to first token of a prompt of that many tokens (both servers
# are then given a context of 1024: --max-model-len and llama.cpp's -c per slot).
set -euo pipefail
cd "$(dirname "$0")/../.."

MODEL=${MODEL:?MODEL=path to a .gguf (or any model the engine reads)}
CONCURRENCY=${CONCURRENCY:-"1 32"}
INPUT_LEN=${INPUT_LEN:-16}
OUTPUT_LEN=${OUTPUT_LEN:-32}
PROMPTS_PER_SLOT=${PROMPTS_PER_SLOT:-3}
TTFT_LEN=${TTFT_LEN:-0}
PEER=${PEER:-0}
THREADS=${THREADS:-$(nproc)}
OUT=${OUT:-BenchmarkDotNet.Artifacts/served-vs-engine}
PORT=${PORT:-18200}
PEER_PORT=${PEER_PORT:-18290}
mkdir -p "$OUT"

dotnet build -c Release Silo/Silo.csproj -v q -nologo >/dev/null
dotnet build -c Release Client/Client.csproj -v q -nologo >/dev/null
SILO=$(ls Silo/bin/Release/net10.0/*/Cluster.Silo.dll | head -n 1)
CLIENT=$(ls Client/bin/Release/net10.0/*/Cluster.Client.dll | head -n 1)

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

wait_ready() { # wait_ready URL PATH LOG
  for _ in $(seq 1 300); do curl -sf "$1$2" >/dev/null 2>&1 && return 0; sleep 1; done
  echo "$1 never became ready"; tail -n 20 "$3"; exit 1
}

# bench_server NAME URL MODEL_ID: warm-up runs, then one recorded run per concurrency (and TTFT).
bench_server() {
  local name=$1 url=$2 id=$3
  for c in $CONCURRENCY; do
    warm=$(( c * 2 > 16 ? c * 2 : 16 ))
    for _ in 1 2; do
      dotnet "$CLIENT" bench --url "$url" --model "$id" --dataset fixed --input-len "$INPUT_LEN" --output-len "$OUTPUT_LEN" \
        --max-concurrency "$c" --num-prompts "$warm" >/dev/null 2>&1
    done
    dotnet "$CLIENT" bench --url "$url" --model "$id" --dataset fixed --input-len "$INPUT_LEN" --output-len "$OUTPUT_LEN" \
      --max-concurrency "$c" --num-prompts $(( c * PROMPTS_PER_SLOT )) --result-file "$OUT/$name-c$c.json" > "$OUT/$name-c$c.txt" 2>&1
    tps=$(grep -i "Output token throughput" "$OUT/$name-c$c.txt" | grep -o '[0-9.]*' | head -n 1)
    tpot=$(grep -i "Median TPOT" "$OUT/$name-c$c.txt" | grep -o '[0-9.]*' | head -n 1)
    echo "$name concurrency=$c output_tokens_per_s=$tps median_tpot_ms=$tpot"
    eval "${name}_c$c=$tps"
  done
  if [ "$TTFT_LEN" -gt 0 ]; then
    dotnet "$CLIENT" bench --url "$url" --model "$id" --dataset fixed --input-len "$TTFT_LEN" --output-len 1 \
      --max-concurrency 1 --num-prompts 3 --num-warmups 1 --result-file "$OUT/$name-ttft.json" > "$OUT/$name-ttft.txt" 2>&1
    ttft=$(grep -i "Median TTFT" "$OUT/$name-ttft.txt" | grep -o '[0-9.]*' | head -n 1)
    echo "$name prompt=$TTFT_LEN median_ttft_ms=$ttft"
    eval "${name}_ttft=$ttft"
  fi
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

# 1. The engine alone, on the same file.
dotnet "$CLIENT" engine-bench --model "$MODEL" --concurrency $CONCURRENCY --steps "$OUTPUT_LEN" --rounds 3 > "$OUT/engine.txt"
for c in $CONCURRENCY; do
  tps=$(grep -E "^concurrency +$c: median" "$OUT/engine.txt" | grep -o 'median *[0-9.]*' | grep -o '[0-9.]*$')
  echo "engine concurrency=$c tokens_per_s=$tps"
  eval "engine_c$c=$tps"
done

# 2. The silo with its default options (context widened only for the TTFT prompt).
extra=(); [ "$TTFT_LEN" -gt 0 ] && extra=(--max-model-len 1024)
env Logging__LogLevel__Default=Warning Logging__LogLevel__Cluster.Grains.Stages=Information \
  dotnet "$SILO" --model "$MODEL" --urls "http://127.0.0.1:$PORT" "${extra[@]}" > "$OUT/silo.log" 2>&1 &
pids+=($!)
wait_ready "http://127.0.0.1:$PORT" /ready "$OUT/silo.log"
grep -o "KV cache: .*" "$OUT/silo.log" | head -n 1 || true
id=$(curl -sf "http://127.0.0.1:$PORT/v1/models" | sed -n 's/.*"id":"\([^"]*\)".*/\1/p' | head -n 1)
bench_server served "http://127.0.0.1:$PORT" "$id"
cleanup; pids=()

# 3. llama.cpp's server on the same file: 32 slots, a context of 128 (or 1024) tokens each.
if [ "$PEER" = 1 ]; then
  per_slot=$([ "$TTFT_LEN" -gt 0 ] && echo 1024 || echo 128)
  ../shared/peers/llama.cpp/run llama-server -m "$MODEL" -t "$THREADS" -np 32 -c $(( per_slot * 32 )) --port "$PEER_PORT" \
    > "$OUT/llama-server.log" 2>&1 &
  pids+=($!)
  wait_ready "http://127.0.0.1:$PEER_PORT" /health "$OUT/llama-server.log"
  peer_id=$(curl -sf "http://127.0.0.1:$PEER_PORT/v1/models" | sed -n 's/.*"id":"\([^"]*\)".*/\1/p' | head -n 1)
  bench_server peer "http://127.0.0.1:$PEER_PORT" "$peer_id"
  cleanup; pids=()
fi

for c in $CONCURRENCY; do
  e="engine_c$c"; s="served_c$c"; p="peer_c$c"
  line="concurrency=$c served/engine=$(ratio "${!s}" "${!e}")"
  [ "$PEER" = 1 ] && line="$line served/llama.cpp=$(ratio "${!s}" "${!p}")"
  echo "$line"
done
if [ "$TTFT_LEN" -gt 0 ] && [ "$PEER" = 1 ]; then echo "ttft served/llama.cpp=$(ratio "$served_ttft" "$peer_ttft")"; fi
