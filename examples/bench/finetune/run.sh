#!/usr/bin/env bash
# Fine-tuning and classification beside transformers, from a pretrained and from a randomly initialised model.
#   examples/bench/finetune/run.sh PRETRAINED_EXPORT OUT [SEEDS]
# PRETRAINED_EXPORT: a masked-LM Hugging Face directory, e.g. the quickstart's OUT/model (`./bertforge quickstart`).
# The labelled set is built by make_dataset.py from the bundled Python documentation sample (PSF licence). A model
# of the same shape and tokenizer with our random initialisation is exported beside it. From each start, every seed
# is fine-tuned by `./bertforge finetune` and by transformers (finetune_hf.py: the same recipe, lr, batch, epochs,
# max length and seed, sdpa); the table gives validation accuracy and macro-F1 (mean over seeds) and training seconds
# (evaluation excluded). Then `./bertforge classify` and transformers (classify_hf.py) classify the whole sample
# with the pretrained start's first fine-tuned model: documents/s and single-request latency.
# Env: STARTS (default "pretrained random"; the table reads every OUT/results-START.jsonl), THREADS (default 2), LR (1e-4), BATCH (16), EPOCHS (3), MAXLEN (128), PYTHON (default .ci/python-env.sh's).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
HERE="$ROOT/examples/bench/finetune"
PRETRAINED="$(cd "$1" && pwd)"
mkdir -p "$2"
OUT="$(cd "$2" && pwd)"
SEEDS="${3:-1618,42,6033}"
THREADS="${THREADS:-2}" LR="${LR:-1e-4}" BATCH="${BATCH:-16}" EPOCHS="${EPOCHS:-3}" MAXLEN="${MAXLEN:-128}"
PYTHON="${PYTHON:-$("$ROOT/.ci/python-env.sh")}"
SAMPLE="$ROOT/examples/data/sample/python-docs.jsonl"
export DJL_OFFLINE=true

python3 "$HERE/make_dataset.py" "$SAMPLE" "$OUT/data"

# the random start: our initialisation, the pretrained model's shape and tokenizer
if [[ ! -f "$OUT/random/config.json" ]]; then
  (cd "$ROOT" && mvn -B -q -DskipTests -pl examples -am package >&2)
  CP="$ROOT/examples/target/classes:$ROOT/trainer/target/classes:$(cat "$ROOT/examples/target/classpath.txt")"
  read -r LAYERS HIDDEN HEADS INTERMEDIATE THETA < <(python3 -c "import json,sys; c=json.load(open(sys.argv[1]));
print(c['num_hidden_layers'], c['hidden_size'], c['num_attention_heads'], c['intermediate_size'], c['global_rope_theta'])" \
    "$PRETRAINED/config.json")
  echo "Random init." >"$OUT/texts.txt"
  java -Xmx4g -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils=error -cp "$CP" \
    dev.bertforge.examples.parity.RandomCheckpoint "$PRETRAINED" "$OUT/random-checkpoint" "$OUT/texts.txt" \
    "$OUT/random-logits.safetensors" "$LAYERS" "$HIDDEN" "$HEADS" "$INTERMEDIATE" "$THETA" 7
  "$ROOT/bertforge" export --checkpoint="$OUT/random-checkpoint" --output="$OUT/random" >/dev/null
fi

for START in ${STARTS:-pretrained random}; do
  RESULTS="$OUT/results-$START.jsonl"
  : >"$RESULTS"
  DIR="$PRETRAINED"; [[ "$START" == random ]] && DIR="$OUT/random"
  echo "== $START: ./bertforge finetune (seeds $SEEDS)" >&2
  "$ROOT/bertforge" finetune --model="$DIR" --train="$OUT/data/train.jsonl" --validation="$OUT/data/validation.jsonl" \
    --idField=id --maxSeqLen="$MAXLEN" --batchSize="$BATCH" --epochs="$EPOCHS" --lr="$LR" --threads="$THREADS" \
    --seeds="$SEEDS" --overwrite=true --output="$OUT/ours-$START" >"$OUT/ours-$START.log" 2>&1 \
    || { tail -20 "$OUT/ours-$START.log"; exit 1; }
  python3 - "$OUT/ours-$START/results.json" "$START" >>"$RESULTS" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
for s in r["seeds"]:
    print(json.dumps({"tool": "bertforge", "start": sys.argv[2], "seed": s["seed"], "accuracy": s["metrics"]["accuracy"],
                      "macro_f1": s["metrics"]["macro_f1"], "train_seconds": s["train_seconds"]}))
PY
  for SEED in ${SEEDS//,/ }; do
    echo "== $START: transformers, seed $SEED" >&2
    "$PYTHON" "$HERE/finetune_hf.py" "$DIR" "$OUT/data" --lr "$LR" --batch-size "$BATCH" --epochs "$EPOCHS" \
      --max-seq-len "$MAXLEN" --seed "$SEED" --threads "$THREADS" 2>"$OUT/hf-$START-$SEED.log" | tail -1 |
      python3 -c "import json,sys; r=json.load(sys.stdin); r.update(tool='transformers', start='$START'); print(json.dumps(r))" \
      >>"$RESULTS"
  done
done

FIRST="${SEEDS%%,*}"
MODEL="$OUT/ours-pretrained"; [[ -d "$MODEL/seed-$FIRST" ]] && MODEL="$MODEL/seed-$FIRST"
echo "== classify" >&2
CLASSIFY="$("$ROOT/bertforge" classify --model="$MODEL/model" --input="$SAMPLE" --maxSeqLen="$MAXLEN" --batchSize=32 \
  --threads="$THREADS" --output="$OUT/classified" 2>/dev/null | tail -1)"
LATENCY="$("$ROOT/bertforge" classify --model="$MODEL/model" --input="$SAMPLE" --maxSeqLen="$MAXLEN" --latency=200 \
  --threads="$THREADS" --output="$OUT/latency" 2>/dev/null | tail -1)"
HF="$("$PYTHON" "$HERE/classify_hf.py" "$MODEL/model" "$SAMPLE" --max-seq-len "$MAXLEN" --batch-size 32 --latency 200 \
  --threads "$THREADS" 2>/dev/null | tail -1)"

cat "$OUT"/results-*.jsonl >"$OUT/results.jsonl"
python3 - "$OUT/results.jsonl" "$CLASSIFY" "$LATENCY" "$HF" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
print("| start | tool | accuracy (mean ± std) | macro-F1 | train s (mean) | time ratio |")
print("|---|---|---:|---:|---:|---:|")
for start in sorted({r["start"] for r in rows}, reverse=True):
    hf_time = statistics.mean(r["train_seconds"] for r in rows if r["start"] == start and r["tool"] == "transformers")
    for tool in ("bertforge", "transformers"):
        rs = [r for r in rows if r["start"] == start and r["tool"] == tool]
        acc = [r["accuracy"] for r in rs]
        t = statistics.mean(r["train_seconds"] for r in rs)
        std = statistics.stdev(acc) if len(acc) > 1 else 0.0
        print(f"| {start} | {tool} | {statistics.mean(acc):.4f} ± {std:.4f} | "
              f"{statistics.mean(r['macro_f1'] for r in rs):.4f} | {t:.1f} | {t / hf_time:.2f} |")
print()
print("bertforge classify:", sys.argv[2])
print("bertforge latency: ", sys.argv[3])
print("transformers:      ", sys.argv[4])
PY
