#!/usr/bin/env bash
# Peak memory of one long row: bertforge (each mode in its own JVM) beside transformers (eager and sdpa).
#   examples/bench/long-row-memory.sh [SIZE=base] [LENGTH=8192] [MODES="forward train-checkpointed"] [HF_MODES=...]
# Our modes: forward (inference), train (plain backward), train-checkpointed (activation checkpointing); training
# includes the AdamW step. HF_MODES: "eager:forward sdpa:forward" by default ("" skips the anchor; its eager
# training at 8192 tokens needs far more memory than most machines have). Prints a table of peak RSS (VmHWM) in GiB.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
SIZE="${1:-base}"
LENGTH="${2:-8192}"
MODES="${3:-forward train-checkpointed}"
HF_MODES="${4-eager:forward sdpa:forward}"
PYTHON="${PYTHON:-/work/pyenv/bin/python}"
(cd "$ROOT" && mvn -B -q -DskipTests -pl examples -am package >&2)
CP="$ROOT/examples/target/classes:$ROOT/trainer/target/classes:$(cat "$ROOT/examples/target/classpath.txt")"
export DJL_OFFLINE=true
rows=()
for mode in $MODES; do
  out=$(java -Xmx2g -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils=error -cp "$CP" \
    dev.bertforge.examples.bench.LongRowMemoryBenchmark "$SIZE" "$LENGTH" "$mode" 2>&1) || out="$out"$'\n'"peak_rss_gb=failed"
  echo "$out" | grep -v '_gb=' >&2
  rows+=("bertforge $mode|$(grep '^rss_before_gb=' <<<"$out" | cut -d= -f2)|$(grep '^peak_rss_gb=' <<<"$out" | cut -d= -f2)")
done
for spec in $HF_MODES; do
  attn="${spec%%:*}"
  mode="${spec##*:}"
  out=$("$PYTHON" "$HERE/long_row_memory_hf.py" "$SIZE" "$LENGTH" "$mode" --attn="$attn" 2>&1) \
    || out="$out"$'\n'"peak_rss_gb=failed"
  echo "$out" | grep -v '_gb=' | tail -n 2 >&2
  rows+=("transformers $attn $mode|$(grep '^rss_before_gb=' <<<"$out" | cut -d= -f2)|$(grep '^peak_rss_gb=' <<<"$out" | cut -d= -f2)")
done
printf '%-34s %16s %12s\n' "$SIZE, $LENGTH tokens" rss_weights_gb peak_rss_gb
for r in "${rows[@]}"; do
  IFS='|' read -r name before peak <<<"$r"
  printf '%-34s %16s %12s\n' "$name" "$before" "$peak"
done
