#!/usr/bin/env bash
# Tokenizer training: bertforge (./bertforge train-tokenizer, Direct runner) beside Hugging Face tokenizers'
# train_from_iterator, same corpus, same settings, same run, one after the other on the same machine.
#
#   examples/bench/tokenizer/bench.sh [BENCH_DATA_DIR]     (default: bench-data/ at the repository root;
#                                                           build it with examples/bench/corpora/build.sh)
#   PYTHON=/path/to/python (default /work/pyenv/bin/python: tokenizers 0.23.2, transformers)
#
# 1. identity: english-20m.jsonl at vocab 8192: same vocabulary, same merges in the same order; the directory loads in
#    transformers' AutoTokenizer and encodes like HF tokenizers;
# 2. speed/memory: english-100m.jsonl at vocab 32768: wall time, CPU time and peak RSS of both processes (ours also
#    with a 1 GB heap, to show what it needs rather than what an 8 GB heap lets the JVM take).
# Writes bench-out/tokenizer/ (tokenizers, timings, results.md). Timings on a shared machine are noisy: read the
# load average printed with the table.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../../.." && pwd)"
DATA="${1:-$ROOT/bench-data}"
PY="${PYTHON:-/work/pyenv/bin/python}"
HERE="$ROOT/examples/bench/tokenizer"
OUT="$ROOT/bench-out/tokenizer"
mkdir -p "$OUT"
cd "$ROOT"
./bertforge train-tokenizer --help >/dev/null # build now, so that no timing includes the build

ours() { # name corpus vocab [heap]
  rm -rf "${OUT:?}/$1-ours"
  BERTFORGE_HEAP="${4:-8g}" /usr/bin/time -f '{"wall": %e, "user": %U, "sys": %S, "rss_kb": %M}' -o "$OUT/$1-ours.time" \
    ./bertforge train-tokenizer --input="$2" --output="$OUT/$1-ours" --vocabSize="$3" --heldOutFraction=0 \
    >"$OUT/$1-ours.log" 2>&1
}
hf() { # name corpus vocab
  /usr/bin/time -f '{"wall": %e, "user": %U, "sys": %S, "rss_kb": %M}' -o "$OUT/$1-hf.time" \
    "$PY" "$HERE/hf_train.py" "$2" "$3" "$OUT/$1-hf.json" >"$OUT/$1-hf.out"
}

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$OUT/load.txt"
ours identity "$DATA/english-20m.jsonl" 8192
hf identity "$DATA/english-20m.jsonl" 8192
"$PY" "$HERE/check_tokenizer.py" "$OUT/identity-ours" "$OUT/identity-hf.json" --corpus "$DATA/english-20m.jsonl" \
  | tee "$OUT/identity.txt"
ours speed "$DATA/english-100m.jsonl" 32768
hf speed "$DATA/english-100m.jsonl" 32768
ours speed-1g "$DATA/english-100m.jsonl" 32768 1g
"$PY" "$HERE/check_tokenizer.py" "$OUT/speed-ours" "$OUT/speed-hf.json" | head -1 | tee "$OUT/speed-identity.txt"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/load.txt"

"$PY" - "$OUT" <<'PY' | tee "$OUT/results.md"
import json, os, sys
out = sys.argv[1]
def load(name):
    return json.load(open(os.path.join(out, name + ".time")))
def report(name):
    return json.load(open(os.path.join(out, name, "report.json")))
print("| corpus, vocab | trainer | wall s | CPU s | peak RSS MB | in-process figure |")
print("|---|---|---:|---:|---:|---|")
for case, corpus, vocab in (("identity", "english-20m", 8192), ("speed", "english-100m", 32768)):
    for who in ("ours", "hf") + (("ours-1g",) if case == "speed" else ()):
        name = f"{case}-{who}" if who != "ours-1g" else "speed-1g-ours"
        t = load(name)
        if who.startswith("ours"):
            r = report(name)
            fig = f"merge step {r['timings_seconds']['merge']} s, {r['corpus']['distinct_words']} words"
            label = "bertforge (Direct runner, -Xmx" + ("1g" if who == "ours-1g" else "8g") + ")"
        else:
            h = json.loads(open(os.path.join(out, name + ".out")).read())
            fig = f"train_from_iterator {h['train_seconds']} s (JSON read {h['read_seconds']} s)"
            label = "HF tokenizers 0.23.2"
        print(f"| {corpus}, {vocab} | {label} | {t['wall']:.1f} | {t['user'] + t['sys']:.1f} | "
              f"{t['rss_kb'] / 1024:.0f} | {fig} |")
PY
