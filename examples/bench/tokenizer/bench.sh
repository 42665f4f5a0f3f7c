#!/usr/bin/env bash
# Tokenizer training: bertforge (./bertforge train-tokenizer, Direct runner) beside Hugging Face tokenizers'
# train_from_iterator, same corpus, same settings, same run, one after the other on the same machine.
#
#   examples/bench/tokenizer/bench.sh [BENCH_DATA_DIR]     (default: bench-data/ at the repository root;
#                                                           build it with examples/bench/corpora/build.sh)
#   PYTHON=/path/to/python (default $(.ci/python-env.sh): tokenizers 0.23.2, transformers)
#
# 1. identity: english-20m.jsonl at vocab 8192: same vocabulary, same merges in the same order; the directory loads in
#    transformers' AutoTokenizer and encodes like HF tokenizers;
# 2. speed/memory: english-100m.jsonl at vocab 32768, ROUNDS rounds (default 3) of ours then HF then ours with a 1 GB
#    heap (what it needs rather than what an 8 GB heap lets the JVM take): wall time, CPU time, peak RSS.
# Writes bench-out/tokenizer/ (tokenizers, timings, results.md). Timings on a shared machine are noisy: read the
# load average printed with the table.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../../.." && pwd)"
DATA="${1:-$ROOT/bench-data}"
PY="${PYTHON:-$("$ROOT/.ci/python-env.sh")}"
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
ROUNDS="${ROUNDS:-3}"
for round in $(seq 1 "$ROUNDS"); do
  echo "speed round $round: load $(cut -d' ' -f1 /proc/loadavg)" | tee -a "$OUT/load.txt"
  ours "speed$round" "$DATA/english-100m.jsonl" 32768
  hf "speed$round" "$DATA/english-100m.jsonl" 32768
  ours "speed${round}-1g" "$DATA/english-100m.jsonl" 32768 1g
done
"$PY" "$HERE/check_tokenizer.py" "$OUT/speed1-ours" "$OUT/speed1-hf.json" >"$OUT/speed-identity.txt"
head -1 "$OUT/speed-identity.txt"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/load.txt"

"$PY" - "$OUT" "$ROUNDS" <<'PY' | tee "$OUT/results.md"
import json, os, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
def timing(name):
    return json.load(open(os.path.join(out, name + ".time")))
def row(case, corpus, vocab, name, who):
    t = timing(name)
    if who == "hf":
        h = json.loads(open(os.path.join(out, name + ".out")).read())
        label, fig = "HF tokenizers 0.23.2", f"train_from_iterator {h['train_seconds']} s"
    else:
        r = json.load(open(os.path.join(out, name, "report.json")))
        label = "bertforge, Direct runner, -Xmx" + ("1g" if who == "ours-1g" else "8g")
        fig = f"merge step {r['timings_seconds']['merge']} s wall"
    print(f"| {case} | {corpus}, {vocab} | {label} | {t['wall']:.1f} | {t['user'] + t['sys']:.1f} | "
          f"{t['rss_kb'] / 1024:.0f} | {fig} |")
    return t
print("| run | corpus, vocab | trainer | wall s | CPU s | peak RSS MB | in-process figure |")
print("|---|---|---|---:|---:|---:|---|")
row("identity", "english-20m", 8192, "identity-ours", "ours")
row("identity", "english-20m", 8192, "identity-hf", "hf")
walls = {"ours": [], "hf": [], "ours-1g": []}
for r in range(1, rounds + 1):
    for who, name in (("ours", f"speed{r}-ours"), ("hf", f"speed{r}-hf"), ("ours-1g", f"speed{r}-1g-ours")):
        t = row(f"speed {r}", "english-100m", 32768, name, who)
        walls[who].append((t["wall"], t["user"] + t["sys"], t["rss_kb"] / 1024))
for who, values in walls.items():
    med = [statistics.median(v[i] for v in values) for i in range(3)]
    print(f"| median of {rounds} | english-100m, 32768 | {who} | {med[0]:.1f} | {med[1]:.1f} | {med[2]:.0f} | |")
PY
