#!/usr/bin/env bash
# Training throughput of `./bertforge train` (tiny stage 1: 4 × 256 model, 256-token sequences, micro-batches of 16,
# StableAdamW, data read from the shards in the background) beside the same model trained in transformers
# (examples/bench/train_step_hf.py: attn_implementation="sdpa", fp32, sparse MLM head, AdamW, random tokens), one
# after the other in the same run, both on THREADS libtorch threads (default: the number of cores).
#
#   examples/bench/trainer/throughput.sh SHARDS_DIR [STEPS]     (PYTHON: a python with torch + transformers;
#   default: the CI one, .ci/python-env.sh)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
SHARDS="$(cd "$1" && pwd)"
STEPS="${2:-12}"
THREADS="${THREADS:-$(nproc)}"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
VOCAB=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["vocab_size"])' "$SHARDS/manifest.json")

"$ROOT/bertforge" train --config="$ROOT/examples/configs/tiny/pretrain.yaml" \
  --set "data.train=$SHARDS/tokens-*.tfrecord*" --set data.validation=null --set "checkpoint.dir=$OUT/ours" \
  --set budget.steps="$STEPS" --set budget.tokens=0 --set batch.warmup_tokens=0 --set checkpoint.every_steps=0 \
  --set threads="$THREADS" --set log.every_seconds=1000 >"$OUT/ours.log" 2>&1
ours=$(python3 - "$OUT/ours/metrics.jsonl" <<'PY'
import json, sys
steps = [json.loads(l) for l in open(sys.argv[1]) if '"train"' in l]
first, last = steps[0], steps[-1]   # the first step (warm-up) is not timed
print(f"{(last['tokens'] - first['tokens']) / (last['elapsed_seconds'] - first['elapsed_seconds']):.0f}")
PY
)
hf_step=$("${PYTHON:-$("$ROOT/.ci/python-env.sh")}" "$ROOT/examples/bench/train_step_hf.py" 4 256 4 384 "$VOCAB" 256 16 "$STEPS" --threads="$THREADS" \
  | sed -n 's/^step_s=//p')
hf=$(python3 -c "print(f'{16 * 256 / $hf_step:.0f}')")
echo "| trainer | tokens/s (threads=$THREADS, $STEPS steps after a warm-up step) |"
echo "|---|---:|"
echo "| ./bertforge train (tiny, seq 256, 4 micro-batches of 16 per step, StableAdamW, shards) | $ours |"
echo "| transformers ModernBertForMaskedLM, same shape, micro-batch of 16, AdamW (anchor) | $hf |"
