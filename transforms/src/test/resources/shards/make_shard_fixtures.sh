#!/usr/bin/env bash
# Writes the token-shard sets committed for readers' tests (the trainer's ShardDataset among them) with the writer
# itself: pack-64/ (uncompressed) and pack-64-gzip/, from docs.jsonl and tokenizer/, 64-token rows, 2 training
# shards, 10% held out for validation. WriteTokenShardsTest checks that the writer still writes these very bytes.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../../../../.." && pwd)"
for compression in none gzip; do
  out="$HERE/pack-64$([[ $compression == gzip ]] && echo -gzip || true)"
  rm -rf "$out"
  "$ROOT/bertforge" pretokenize --input="$HERE/docs.jsonl" --idField=id --tokenizer="$HERE/tokenizer" \
    --output="$out" --maxSeqLen=64 --numShards=2 --validationFraction=0.1 --compression=$compression
  rm -rf "$out/rejected" # nothing is rejected there; the shard set is what readers need
done
