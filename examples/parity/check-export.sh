#!/usr/bin/env bash
# Weights we export, loaded by transformers: for two sizes, a model with our own random initialisation is saved as a
# checkpoint, exported with `./bertforge export`, loaded by transformers' AutoModelForMaskedLM (eager, fp32) and
# compared: logits on texts longer than the local window, and `./bertforge fill-mask --json` against transformers'
# fill-mask pipeline on the export. Needs Python with transformers (PYTHON, default: .ci/python-env.sh's venv).
#   examples/parity/check-export.sh            prints the figures and OK, exits non-zero on a mismatch
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/examples/parity"
PYTHON="${PYTHON:-$("$ROOT/.ci/python-env.sh")}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

(cd "$ROOT" && mvn -B -q -DskipTests -pl examples -am package >&2)
CP="$ROOT/examples/target/classes:$ROOT/trainer/target/classes:$(cat "$ROOT/examples/target/classpath.txt")"
export DJL_OFFLINE=true

LONG="The city council met on Tuesday to discuss the new budget for the public library and the school district."
for i in 1 2 3; do LONG="$LONG $LONG"; done
cat >"$WORK/texts.txt" <<TEXTS
The river flows through the old town to the harbour.
$LONG
Farmers in the valley grow wheat.
TEXTS
FILL_TEXTS=("The museum opened an [MASK] of paintings."
  "She walked to the [MASK] in the morning [MASK] and took the early train."
  "$LONG The [MASK] reported higher revenue.")

# size: layers hidden heads intermediate global_theta seed (head dim 16, then 48: a scale that is not a power of 2)
for size in "4 64 4 96 160000 1" "5 96 2 128 10000 2"; do
  read -r layers hidden heads intermediate theta seed <<<"$size"
  echo "== $layers layers, hidden $hidden, $heads heads, intermediate $intermediate, global theta $theta"
  dir="$WORK/$layers-$hidden"
  mkdir -p "$dir/fill"
  java -Xmx4g -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils=error -cp "$CP" \
    dev.bertforge.examples.parity.RandomCheckpoint "$HERE/tokenizer" "$dir/checkpoint" "$WORK/texts.txt" \
    "$dir/logits.safetensors" "$layers" "$hidden" "$heads" "$intermediate" "$theta" "$seed"
  "$ROOT/bertforge" export --checkpoint="$dir/checkpoint" --output="$dir/export"
  for i in "${!FILL_TEXTS[@]}"; do
    printf '%s\n' "${FILL_TEXTS[$i]}" >"$dir/fill/$i.txt"
    "$ROOT/bertforge" fill-mask --model="$dir/export" --text="${FILL_TEXTS[$i]}" --topK=5 --json >"$dir/fill/$i.json"
  done
  # fill-mask straight from the checkpoint gives the same answer as from the export
  "$ROOT/bertforge" fill-mask --model="$dir/checkpoint" --text="${FILL_TEXTS[0]}" --topK=5 --json \
    | cmp - "$dir/fill/0.json"
  "$PYTHON" "$HERE/check_export.py" "$dir/export" "$dir/logits.safetensors" "$dir/fill"
done
echo "check-export: OK"
