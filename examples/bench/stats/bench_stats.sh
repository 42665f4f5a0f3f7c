#!/usr/bin/env bash
# Benchmark: `./bertforge stats` against a plain Python pass (stats_reference.py) over the same JSONL corpus,
# in the same run on the same machine. Prints both figures side by side and checks that the counts agree.
#
#   examples/bench/stats/bench_stats.sh /work/bench-data/linux-all-1rel.jsonl [extra ./bertforge options]
#
# BERTFORGE_HEAP caps the Java heap (e.g. 1g to show that memory stays bounded).
set -euo pipefail
corpus="$1"
shift
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
python="${PYTHON:-$("$root/.ci/python-env.sh")}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

"$root/bertforge" stats --help >/dev/null # build first, outside the timing
bytes=$(stat -c %s "$corpus")

/usr/bin/time -f "%e %M" -o "$out/ours.time" "$root/bertforge" stats --input="$corpus" --output="$out/stats" "$@" \
  >"$out/ours.txt" 2>"$out/ours.log"
/usr/bin/time -f "%e %M" -o "$out/anchor.time" "$python" "$here/stats_reference.py" "$corpus" >"$out/anchor.json"

"$python" - "$out" "$bytes" "${BERTFORGE_HEAP:-8g}" <<'PY'
import json, sys
out, size, heap = sys.argv[1], int(sys.argv[2]), sys.argv[3]
ours = json.load(open(f"{out}/stats/stats.json"))
anchor = json.load(open(f"{out}/anchor.json"))
rows = []
for name, tfile, s in [("bertforge stats (Direct runner, heap " + heap + ")", "ours.time", {
        "documents": ours["documents"], "text_bytes": ours["text_bytes"], "characters": ours["characters"],
        **ours["length_characters"], "blank": ours["blank"], "rejected": ours["rejected"]}),
        ("python json.loads, 1 process (anchor)", "anchor.time", anchor)]:
    wall, rss_kb = open(f"{out}/{tfile}").read().split()
    wall = float(wall)
    rows.append((name, s, wall, int(rss_kb)))
print(f"corpus {size/1e9:.2f} GB; machine shared with other jobs, 2 cores")
print(f"{'':44} {'docs':>10} {'text bytes':>14} {'p50':>6} {'p90':>7} {'p99':>8} {'max':>9} {'wall s':>7} {'docs/s':>8} {'MB/s':>6} {'max RSS':>8}")
for name, s, wall, rss in rows:
    print(f"{name:44} {s['documents']:>10,} {s['text_bytes']:>14,} {s['p50']:>6,} {s['p90']:>7,} {s['p99']:>8,} {s['max']:>9,} "
          f"{wall:>7.1f} {s['documents']/wall:>8,.0f} {size/1e6/wall:>6.1f} {rss/1024:>6.0f} MB")
a, b = rows[0][1], rows[1][1]
same = all(a[k] == b[k] for k in ("documents", "text_bytes", "characters", "blank", "rejected", "max"))
print("counts agree" if same else "COUNTS DIFFER")
print("percentiles: bertforge's are exact below 2048 characters, within 0.8% above (bucketed histogram)")
PY
