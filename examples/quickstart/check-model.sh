#!/usr/bin/env bash
# The quickstart's exported model, loaded by transformers (CI runs this on the end-to-end test's output):
# AutoModelForMaskedLM and AutoTokenizer load DIR/model with no missing or unexpected weights, and transformers'
# fill-mask pipeline gives the same top-5 ids, tokens and scores as `./bertforge fill-mask` on the demo sentence.
#   examples/quickstart/check-model.sh [QUICKSTART_OUTPUT]   (default: examples/target/quickstart-e2e)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$(cd "${1:-$ROOT/examples/target/quickstart-e2e}" && pwd)"
PYTHON="${PYTHON:-$("$ROOT/.ci/python-env.sh")}"
FILL="$(mktemp -d)"
trap 'rm -rf "$FILL"' EXIT
TEXT="Useful handlers included with the [MASK] module."
printf '%s\n' "$TEXT" >"$FILL/0.txt"
"$ROOT/bertforge" fill-mask --model="$OUT/model" --text="$TEXT" --topK=5 --json >"$FILL/0.json"
"$PYTHON" "$ROOT/examples/parity/check_export.py" "$OUT/model" - "$FILL"
echo "quickstart model loads in transformers: OK"
