#!/usr/bin/env bash
# Token-shard interop check (CI): ./bertforge pretokenize writes shards from the fixture corpus in every mode (and with
# either encoder), and from the sample corpus with a tokenizer HF trains on it; check_shards.py reads them with
# TensorFlow and compares every document's tokens with Hugging Face tokenizers.
# The Python environment is a venv cached in $BERTFORGE_CI_CACHE (default ~/.cache/bertforge-ci), built from the
# local PyPI mirror on first use.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
CACHE="${BERTFORGE_CI_CACHE:-$HOME/.cache/bertforge-ci}"
VENV="$CACHE/shards-venv"
PIP_INDEX=(--index-url file:///opt/pypi/simple --extra-index-url file:///opt/pypi-more/simple)
REQUIREMENTS=(tensorflow-cpu==2.21.0 tokenizers==0.23.2 numpy)
if [[ ! -x "$VENV/bin/python" ]] || ! "$VENV/bin/python" -c "import tensorflow, tokenizers, numpy" 2>/dev/null; then
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  mkdir -p "$CACHE"
  "$VENV/bin/pip" install -q "${PIP_INDEX[@]}" "${REQUIREMENTS[@]}" >"$CACHE/shards-venv.log" 2>&1 ||
    { tail -20 "$CACHE/shards-venv.log"; exit 1; }
fi
FIXTURES=transforms/src/test/resources/shards
OUT=target/interop-shards
rm -rf "$OUT"
run() { # name, then pretokenize options
  local name="$1"
  shift
  ./bertforge pretokenize --input="$FIXTURES/docs.jsonl" --tokenizer="$FIXTURES/tokenizer" --output="$OUT/$name" \
    --maxSeqLen=64 "$@" >"$OUT.$name.log" 2>&1 || { tail -20 "$OUT.$name.log"; exit 1; }
  TF_CPP_MIN_LOG_LEVEL=3 "$VENV/bin/python" examples/pretokenize/check_shards.py --shards "$OUT/$name" \
    --input "$FIXTURES/docs.jsonl" --tokenizer "$FIXTURES/tokenizer" 2>/dev/null
}
mkdir -p target
run pack --mode=pack --numShards=3 --validationFraction=0.1
run split-gzip --mode=split --numShards=2 --compression=gzip --validationFraction=0
run truncate-gzip --mode=truncate --compression=gzip
run djl --mode=pack --encoder=djl --validationFraction=0.1
# real text: the sample corpus (3,065 sections of the Python docs) with a tokenizer HF trains on it
SAMPLE=examples/data/sample/python-docs.jsonl
"$VENV/bin/python" examples/bench/pretokenize/train_bench_tokenizer.py "$SAMPLE" "$OUT/sample-tokenizer" 8192
./bertforge pretokenize --input="$SAMPLE" --tokenizer="$OUT/sample-tokenizer" --output="$OUT/sample" --maxSeqLen=512 \
  --compression=gzip >"$OUT.sample.log" 2>&1 || { tail -20 "$OUT.sample.log"; exit 1; }
TF_CPP_MIN_LOG_LEVEL=3 "$VENV/bin/python" examples/pretokenize/check_shards.py --shards "$OUT/sample" --input "$SAMPLE" \
  --tokenizer "$OUT/sample-tokenizer" 2>/dev/null
# the shard sets committed for readers' tests (the trainer's) must read as well
for committed in pack-64 pack-64-gzip; do
  TF_CPP_MIN_LOG_LEVEL=3 "$VENV/bin/python" examples/pretokenize/check_shards.py --shards "$FIXTURES/$committed" \
    --input "$FIXTURES/docs.jsonl" --tokenizer "$FIXTURES/tokenizer" 2>/dev/null
done
echo "token shards interop: OK"
