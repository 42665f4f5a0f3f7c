#!/usr/bin/env bash
# Token-shard interop check (CI): ./bertforge pretokenize writes shards from the fixture corpus in every mode (and with
# either encoder), and ./bertforge prepare on the sample corpus (dedup, its own tokenizer, shards); check_shards.py
# reads them with TensorFlow and compares every document's tokens with Hugging Face tokenizers.
# Python comes from .ci/python-env.sh (a cached venv built from the local package index on first use).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
PYTHON="$("$ROOT/.ci/python-env.sh")"
FIXTURES=transforms/src/test/resources/shards
OUT=target/interop-shards
rm -rf "$OUT"
run() { # name, then pretokenize options
  local name="$1"
  shift
  ./bertforge pretokenize --input="$FIXTURES/docs.jsonl" --tokenizer="$FIXTURES/tokenizer" --output="$OUT/$name" \
    --maxSeqLen=64 "$@" >"$OUT.$name.log" 2>&1 || { tail -20 "$OUT.$name.log"; exit 1; }
  TF_CPP_MIN_LOG_LEVEL=3 "$PYTHON" examples/pretokenize/check_shards.py --shards "$OUT/$name" \
    --input "$FIXTURES/docs.jsonl" --tokenizer "$FIXTURES/tokenizer" 2>/dev/null
}
mkdir -p target
run pack --mode=pack --numShards=3 --validationFraction=0.1
run split-gzip --mode=split --numShards=2 --compression=gzip --validationFraction=0
run truncate-gzip --mode=truncate --compression=gzip
run djl --mode=pack --encoder=djl --validationFraction=0.1
# real text: prepare on the sample corpus (3,065 sections of the Python docs): dedup, our own tokenizer, shards
SAMPLE=examples/data/sample/python-docs.jsonl
./bertforge prepare --input="$SAMPLE" --output="$OUT/prepare" --vocabSize=8192 --maxSeqLen=512 --compression=gzip \
  >"$OUT.prepare.log" 2>&1 || { tail -20 "$OUT.prepare.log"; exit 1; }
TF_CPP_MIN_LOG_LEVEL=3 "$PYTHON" examples/pretokenize/check_shards.py --shards "$OUT/prepare/shards" \
  --input "$OUT"/prepare/dedup/kept/*.jsonl --tokenizer "$OUT/prepare/tokenizer" 2>/dev/null
# the shard sets committed for readers' tests (the trainer's) must read as well
for committed in pack-64 pack-64-gzip; do
  TF_CPP_MIN_LOG_LEVEL=3 "$PYTHON" examples/pretokenize/check_shards.py --shards "$FIXTURES/$committed" \
    --input "$FIXTURES/docs.jsonl" --tokenizer "$FIXTURES/tokenizer" 2>/dev/null
done
echo "token shards interop: OK"
