#!/usr/bin/env bash
# A classifier we fine-tune and export, loaded by transformers: a model with our own random initialisation is
# exported (`./bertforge export`), fine-tuned for an epoch on a small pair task (`./bertforge finetune`, mean
# pooling), and the export is loaded by transformers' AutoModelForSequenceClassification (no missing or unexpected
# keys) with AutoTokenizer; its probabilities on the validation pairs must equal `./bertforge classify`'s within
# 1e-4, with the same labels. Needs Python with transformers (PYTHON, default: .ci/python-env.sh's venv).
#   examples/parity/check-classifier.sh         prints the figures and OK, exits non-zero on a mismatch
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/examples/parity"
PYTHON="${PYTHON:-$("$ROOT/.ci/python-env.sh")}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

(cd "$ROOT" && mvn -B -q -DskipTests -pl examples -am package >&2)
CP="$ROOT/examples/target/classes:$ROOT/trainer/target/classes:$(cat "$ROOT/examples/target/classpath.txt")"
export DJL_OFFLINE=true

printf '%s\n' "The river flows through the old town." "Farmers grow wheat in the valley." >"$WORK/texts.txt"
java -Xmx4g -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils=error -cp "$CP" \
  dev.bertforge.examples.parity.RandomCheckpoint "$HERE/tokenizer" "$WORK/checkpoint" "$WORK/texts.txt" \
  "$WORK/logits.safetensors" 4 64 4 96 160000 3
"$ROOT/bertforge" export --checkpoint="$WORK/checkpoint" --output="$WORK/pretrained" >/dev/null

# pairs: does the second sentence repeat the first one's subject? (three labels, strings)
python3 - "$WORK" <<'PY'
import json, random, sys
random.seed(5)
subjects = ["The council", "A farmer", "The museum", "Our library", "The harbour", "A school"]
verbs = ["opened a new hall", "met on Tuesday", "reported higher revenue", "grew wheat", "closed early"]
for name, n in [("train", 120), ("validation", 40)]:
    with open(f"{sys.argv[1]}/{name}.jsonl", "w") as f:
        for i in range(n):
            a, b = random.choice(subjects), random.choice(subjects)
            kind = random.choice(["same", "other", "none"])
            pair = f"{a} {random.choice(verbs)}." if kind == "same" else (
                f"{b} {random.choice(verbs)}." if kind == "other" else "Nothing happened.")
            f.write(json.dumps({"id": f"{name}-{i}", "text": f"{a} {random.choice(verbs)}.", "pair": pair,
                                "label": kind}) + "\n")
PY
"$ROOT/bertforge" finetune --model="$WORK/pretrained" --train="$WORK/train.jsonl" --validation="$WORK/validation.jsonl" \
  --textPairField=pair --idField=id --pooling=mean --epochs=1 --batchSize=16 --lr=1e-3 --seeds=3 \
  --output="$WORK/finetuned" >"$WORK/finetune.log" 2>&1 || { cat "$WORK/finetune.log"; exit 1; }
"$ROOT/bertforge" classify --model="$WORK/finetuned" --input="$WORK/validation.jsonl" --textPairField=pair --idField=id \
  --allScores=true --output="$WORK/predictions" | tail -1
"$PYTHON" "$HERE/check_classifier.py" "$WORK/finetuned/model" "$WORK/validation.jsonl" "$WORK/predictions"
echo "check-classifier: OK"
