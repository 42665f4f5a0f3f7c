#!/usr/bin/env bash
# bertforge's DJL training step beside transformers' (the anchor), measured back to back on this machine.
#   examples/bench/compare.sh [REPEATS] -- LAYERS HIDDEN HEADS INTERMEDIATE VOCAB SEQ BATCH STEPS
# e.g. examples/bench/compare.sh 3 -- 4 256 4 384 32768 512 8 4
# Each repetition runs transformers (attn_implementation="sdpa" and the sparse MLM head, as the recipe trains), then
# ours, with the same intra-op thread count (THREADS, default: the number of cores). Prints one row per repetition
# and the medians; the last line is ratio=<our median / transformers' median> (wall time). CPU seconds per step
# (all threads) are shown too: on a shared machine they are steadier than wall time. PYTHON: the interpreter with
# transformers.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPEATS="${1:-3}"
shift
[[ "${1:-}" == "--" ]] && shift
if [[ $# -ne 8 ]]; then
  sed -n 2,9p "$0" >&2
  exit 2
fi
PYTHON="${PYTHON:-$("$HERE/../../.ci/python-env.sh")}"
THREADS="${THREADS:-$(nproc)}"
export THREADS
hf=()
ours=()
printf '%-4s %14s %14s %8s %12s %12s\n' rep transformers_s bertforge_s ratio hf_cpu_s our_cpu_s
for ((i = 1; i <= REPEATS; i++)); do
  hout=$("$PYTHON" "$HERE/train_step_hf.py" "$@" --threads="$THREADS")
  oout=$("$HERE/train-step.sh" "$@")
  h=$(grep '^step_s=' <<<"$hout" | sed 's/step_s=//')
  o=$(grep '^step_s=' <<<"$oout" | sed 's/step_s=//')
  hc=$(grep '^cpu_s=' <<<"$hout" | sed 's/cpu_s=//')
  oc=$(grep '^cpu_s=' <<<"$oout" | sed 's/cpu_s=//')
  hf+=("$h")
  ours+=("$o")
  printf '%-4s %14s %14s %8.2f %12s %12s\n' "$i" "$h" "$o" "$(echo "$o / $h" | bc -l)" "$hc" "$oc"
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
mh=$(median "${hf[@]}")
mo=$(median "${ours[@]}")
printf '%-4s %14s %14s\n' median "$mh" "$mo"
echo "config: layers=$1 hidden=$2 heads=$3 intermediate=$4 vocab=$5 seq=$6 batch=$7 steps=$8 threads=$THREADS" \
  "load=$(cut -d' ' -f1-3 /proc/loadavg)"
printf 'ratio=%.3f\n' "$(echo "$mo / $mh" | bc -l)"
