#!/usr/bin/env bash
# pretokenize: the whole ./bertforge pretokenize (read JSONL, encode, pack, write shards; Direct runner) beside Hugging
# Face tokenizers' encode_batch alone, same corpus, same tokenizer, same run, one after the other on the same machine.
#
#   examples/bench/pretokenize/bench.sh [BENCH_DATA_DIR]   (default: bench-data/ at the repository root;
#                                                          build it with examples/bench/corpora/build.sh)
#   PYTHON=/path/to/python (default $(.ci/python-env.sh): tokenizers 0.23.2; tensorflow for the check)
#   ROUNDS=2 rounds of: ours (--encoder=auto), HF encode_batch, ours with --encoder=djl (DJL's Rust tokenizers)
#   CHECK=1 reads round 1's shards with TensorFlow and compares every document with HF (check_shards.py)
#
# The tokenizer is trained by HF tokenizers on the corpus first (vocab 32768, byte-level, NFC, BERT specials). Writes
# bench-out/pretokenize/ (tokenizer, shards, timings, results.md). Timings on a shared machine are noisy: the load
# average is printed with the table, and "tokens per CPU s" (tokens over user+sys time) is the figure least moved by
# other work. "tokens/s per core" is tokens/s over the machine's cores.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../../.." && pwd)"
DATA="${1:-$ROOT/bench-data}"
CORPUS="$DATA/english-100m.jsonl"
PY="${PYTHON:-$("$ROOT/.ci/python-env.sh")}"
HERE="$ROOT/examples/bench/pretokenize"
OUT="$ROOT/bench-out/pretokenize"
mkdir -p "$OUT"
cd "$ROOT"
./bertforge pretokenize --help >/dev/null # build now, so that no timing includes the build
if [[ ! -f "$OUT/tokenizer/tokenizer.json" ]]; then
  "$PY" "$HERE/train_bench_tokenizer.py" "$CORPUS" "$OUT/tokenizer"
fi

ours() { # name encoder
  rm -rf "${OUT:?}/$1"
  /usr/bin/time -f '{"wall": %e, "user": %U, "sys": %S, "rss_kb": %M}' -o "$OUT/$1.time" \
    ./bertforge pretokenize --input="$CORPUS" --tokenizer="$OUT/tokenizer" --output="$OUT/$1" --encoder="$2" \
    >"$OUT/$1.log" 2>&1
}
hf() { # name
  /usr/bin/time -f '{"wall": %e, "user": %U, "sys": %S, "rss_kb": %M}' -o "$OUT/$1.time" \
    "$PY" "$HERE/hf_encode_batch.py" "$OUT/tokenizer" "$CORPUS" >"$OUT/$1.json"
}

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores" | tee "$OUT/load.txt"
ROUNDS="${ROUNDS:-2}"
for round in $(seq 1 "$ROUNDS"); do
  echo "round $round: load $(cut -d' ' -f1 /proc/loadavg)" | tee -a "$OUT/load.txt"
  ours "ours$round" auto
  hf "hf$round"
  ours "djl$round" djl
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/load.txt"
if [[ "${CHECK:-1}" == 1 ]]; then
  TF_CPP_MIN_LOG_LEVEL=3 "$PY" "$ROOT/examples/pretokenize/check_shards.py" --shards "$OUT/ours1" --input "$CORPUS" \
    --tokenizer "$OUT/tokenizer" 2>/dev/null | tail -1 | tee "$OUT/check.txt"
fi

"$PY" - "$OUT" "$ROUNDS" "$(nproc)" <<'PY' | tee "$OUT/results.md"
import json, os, statistics, sys
out, rounds, cores = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
anchor = json.load(open(os.path.join(out, "hf1.json")))
text_bytes = anchor["text_bytes"]
def load(name):
    return json.load(open(os.path.join(out, name + ".time")))
def ours(name):
    t = load(name)
    m = json.load(open(os.path.join(out, name, "manifest.json")))
    v = json.load(open(os.path.join(out, name, "validation", "manifest.json")))
    tokens = m["totals"]["tokens"] + v["totals"]["tokens"]
    shard_bytes = m["totals"]["bytes"] + v["totals"]["bytes"]
    return t["wall"], t["user"] + t["sys"], tokens, shard_bytes, m["totals"]["fill_ratio"]
print(f"Corpus {anchor['documents']} documents, {text_bytes / 1e6:.1f} MB of text, {anchor['tokens']} tokens "
      f"with [CLS]/[SEP] ({text_bytes / anchor['tokens']:.2f} text bytes per token); {cores} cores, shared.\n")
print("| round | what | wall s | CPU s | tokens/s | tokens/s per core | tokens per CPU s | shard bytes/token | pack fill |")
print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
rows = {"ours": [], "hf": [], "djl": []}
for r in range(1, rounds + 1):
    for who in ("ours", "hf", "djl"):
        if who == "hf":
            h = json.load(open(os.path.join(out, f"hf{r}.json")))
            wall, cpu, tokens, shard, fill = h["seconds"], h["cpu_seconds"], h["tokens"], None, None
            assert tokens == anchor["tokens"]
            label = f"HF tokenizers {h['tokenizers']} encode_batch alone (in-process time)"
        else:
            wall, cpu, row_tokens, shard, fill = ours(f"{who}{r}")
            tokens, shard = anchor["tokens"], shard / row_tokens  # rows repeat [CLS]/[SEP] around split windows
            label = ("bertforge pretokenize, whole command, Java encoder" if who == "ours"
                     else "bertforge pretokenize, whole command, --encoder=djl")
        rows[who].append(wall)
        print(f"| {r} | {label} | {wall:.1f} | {cpu:.1f} | {tokens / wall:,.0f} | {tokens / wall / cores:,.0f} | "
              f"{tokens / cpu:,.0f} | "
              f"{'' if shard is None else f'{shard:.2f}'} | {'' if fill is None else f'{fill:.2%}'} |")
med = {k: statistics.median(v) for k, v in rows.items()}
print(f"\nmedian wall: bertforge {med['ours']:.1f} s, HF encode_batch {med['hf']:.1f} s, bertforge with DJL "
      f"{med['djl']:.1f} s -> bertforge/HF = {med['ours'] / med['hf']:.2f}")
PY
