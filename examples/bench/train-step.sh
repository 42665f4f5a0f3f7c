#!/usr/bin/env bash
# One ModernBERT training step (forward + backward + AdamW) in bertforge's DJL model, timed.
#   examples/bench/train-step.sh LAYERS HIDDEN HEADS INTERMEDIATE VOCAB SEQ BATCH STEPS
# e.g. examples/bench/train-step.sh 4 256 4 384 32768 512 8 5
# Last line: step_s=<mean seconds per step, first step excluded>. THREADS=N sets libtorch's intra-op threads
# (default: libtorch's own, the number of cores). The anchor is train_step_hf.py; compare.sh runs both.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
if [[ $# -ne 8 ]]; then
  sed -n 2,6p "$0" >&2
  exit 2
fi
CP_FILE="$ROOT/examples/target/classpath.txt"
if [[ ! -f "$CP_FILE" || -n "$(find "$ROOT/trainer/src/main" "$ROOT/examples/src/main" -newer "$CP_FILE" -print -quit)" ]]; then
  (cd "$ROOT" && mvn -B -q -DskipTests -pl examples -am package >&2)
fi
THREAD_OPTS=()
if [[ -n "${THREADS:-}" ]]; then
  THREAD_OPTS=(-Dai.djl.pytorch.num_threads="$THREADS")
fi
export DJL_OFFLINE=true
exec java -Xmx"${BENCH_HEAP:-8g}" -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  "${THREAD_OPTS[@]}" \
  -cp "$ROOT/examples/target/classes:$ROOT/trainer/target/classes:$(cat "$CP_FILE")" \
  dev.bertforge.examples.bench.TrainStepBenchmark "$@"
