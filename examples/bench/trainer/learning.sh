#!/usr/bin/env bash
# Learning benchmark of the trainer: the tiny configs through the three stages (pretrain at 256 tokens, context
# extension to 1024 with global RoPE θ 160k, 1−sqrt decay) on real English, against the unigram baseline of the
# same shards. Prints a table; the curves are OUT/learning-curve.png and OUT/{pretrain,context_extension,decay}/loss.png.
#
#   examples/bench/trainer/learning.sh SHARDS_DIR OUT [--set key=value ...]
# SHARDS_DIR holds tokens-*.tfrecord + manifest.json and validation/ (what `./bertforge prepare` writes in
# OUT/shards/). Extra --set options apply to every stage (e.g. --set threads=1 on a busy machine).
# A stage whose folder already holds checkpoints is resumed (and skipped once its budget is spent).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
SHARDS="$(cd "$1" && pwd)"
OUT="$2"
shift 2
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
TRAIN="$SHARDS/tokens-*.tfrecord*"
VALIDATION="$SHARDS/validation/tokens-*.tfrecord*"

run_stage() {
  local stage="$1" init="$2"
  shift 2
  local resume=()
  if compgen -G "$OUT/$stage/step-*" >/dev/null; then
    resume=(--resume)
  fi
  local init_set=()
  if [[ -n "$init" ]]; then
    init_set=(--set "init_from=$OUT/$init")
  fi
  "$ROOT/bertforge" train --config="$ROOT/examples/configs/tiny/$stage.yaml" \
    --set "data.train=$TRAIN" --set "data.validation=$VALIDATION" --set "checkpoint.dir=$OUT/$stage" \
    "${init_set[@]}" "${resume[@]}" "$@" 2>&1 | tee -a "$OUT/$stage.log"
}

start=$SECONDS
run_stage pretrain "" "$@"
run_stage context_extension pretrain "$@"
run_stage decay context_extension "$@"
echo "training took $(( (SECONDS - start) / 60 )) min" | tee "$OUT/time.txt"

CP="$ROOT/examples/target/classes:$(cat "$ROOT/examples/target/classpath.txt")"
baseline=$(java -cp "$CP" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  dev.bertforge.examples.bench.UnigramBaseline "$TRAIN" "$VALIDATION")
echo "$baseline" > "$OUT/unigram.json"
for stage in pretrain context_extension decay; do
  len=1024
  [[ "$stage" == pretrain ]] && len=256
  "$ROOT/bertforge" evaluate --checkpoint="$OUT/$stage" --data="$VALIDATION" --max-seq-len=$len --threads=1 \
    > "$OUT/eval-$stage.json"
done
java -cp "$CP" dev.bertforge.examples.bench.LearningCurve "$OUT/learning-curve.png" \
  "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["unigram_cross_entropy"])' "$OUT/unigram.json")" \
  "$OUT/pretrain" "$OUT/context_extension" "$OUT/decay"
python3 - "$OUT" <<'PY'
import json, sys, os
out = sys.argv[1]
base = json.load(open(os.path.join(out, "unigram.json")))
print(f"\nvalidation MLM loss (15% masking, {base['validation_tokens_scored']:,} validation tokens, vocab {base['vocab_size']})")
print(f"{'':28s} {'loss (nats)':>12s} {'accuracy':>9s}")
print(f"{'unigram baseline (anchor)':28s} {base['unigram_cross_entropy']:12.4f} {'':>9s}")
for stage in ["pretrain", "context_extension", "decay"]:
    e = json.load(open(os.path.join(out, f"eval-{stage}.json")))
    rates = [json.loads(l) for l in open(os.path.join(out, stage, "metrics.jsonl")) if '"train"' in l]
    tps = rates[-1]["tokens_per_second"] if rates else float("nan")
    print(f"{stage:28s} {e['loss']:12.4f} {e['accuracy']:9.4f}   trained {rates[-1]['tokens']:,} tokens at {tps:,.0f} tok/s")
PY
