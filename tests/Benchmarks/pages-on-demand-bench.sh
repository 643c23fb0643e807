#!/usr/bin/env bash
# Concurrent sequences and aggregate tokens/s through the OpenAI API when outputs end before their
# max_tokens, with the same KV memory. Every request asks max_tokens 512 and samples at temperature
# 1 with its own seed; 125 stop token ids out of the 32,000 end an output after ~256 tokens on
# average (13% reach 512), the same outputs on every run. The silo keeps its default options but
# the model path, a context of 1024 and a fixed KV budget (--kv-cache-mb), so runs compare alike.
# SILO_DLLS names the builds to compare (e.g. one from a checkout of an earlier commit):
#
#   MODEL=/tmp/peer-models/M-f32.gguf tests/Benchmarks/pages-on-demand-bench.sh
#   SILO_DLLS="/path/to/old/Cluster.Silo.dll Silo/bin/Release/net10.0/linux-x64/Cluster.Silo.dll" ...
#
# The model: ../shared/peers/make-models.sh DIR writes the 110M-shape M-f32.gguf.
set -euo pipefail
cd "$(dirname "$0")/../.."

MODEL=${MODEL:?the 110M-shape GGUF, from ../shared/peers/make-models.sh DIR}
KV_MB=${KV_MB:-256}
PROMPTS=${PROMPTS:-48}
PORT=${PORT:-18400}
OUT=${OUT:-BenchmarkDotNet.Artifacts/pages-on-demand}
mkdir -p "$OUT"

dotnet build -c Release Client/Client.csproj -v q -nologo >/dev/null
if [ -z "${SILO_DLLS:-}" ]; then
  dotnet build -c Release Silo/Silo.csproj -v q -nologo >/dev/null
  SILO_DLLS=$(ls Silo/bin/Release/net10.0/*/Cluster.Silo.dll | head -n 1)
fi

run=0
for silo in $SILO_DLLS; do
  run=$((run + 1))
  dotnet "$silo" --model "$MODEL" --model-name m --max-model-len 1024 \
    --kv-cache-mb "$KV_MB" --urls "http://127.0.0.1:$PORT" > "$OUT/silo-$run.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT/ready" >/dev/null 2>&1 && break; sleep 1; done
  # The most sequences running at once, read from the silo's own gauge while the load runs.
  ( peak=0; while kill -0 $pid 2>/dev/null; do
      now=$(curl -s "http://127.0.0.1:$PORT/metrics" | awk '/^cluster_requests_running[{ ]/ {s += $NF} END {print s + 0}')
      [ "${now%.*}" -gt "$peak" ] && peak=${now%.*} && echo "$peak" > "$OUT/peak-$run.txt"
      sleep 0.5
    done ) &
  sampler=$!
  dotnet Client/bin/Release/net10.0/*/Cluster.Client.dll bench --url "http://127.0.0.1:$PORT" --model m \
    --input-len 64 --output-len 512 --temperature 1 --stop-token-ids 1000-1124 --num-prompts "$PROMPTS" \
    --num-warmups 2 --result-file "$OUT/bench-$run.json" > "$OUT/bench-$run.txt"
  preemptions=$(curl -s "http://127.0.0.1:$PORT/metrics" | awk '/^cluster_preemptions_total[{ ]/ {s += $NF} END {print s + 0}')
  kill $pid; wait $pid 2>/dev/null || true; wait $sampler 2>/dev/null || true
  echo "== $silo"
  grep -E "KV cache" "$OUT/silo-$run.log" | head -n 1 | sed 's/^ *//'
  echo "peak running sequences: $(cat "$OUT/peak-$run.txt" 2>/dev/null || echo 0); preemptions: $preemptions"
  cat "$OUT/bench-$run.txt"
done
