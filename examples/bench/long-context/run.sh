#!/usr/bin/env bash
# One training step of a context-extension stage at 8192 tokens (micro_size 1), ours through ./bertforge train
# beside transformers 5.x with attn_implementation="sdpa" and the sparse MLM head, same shapes, same run.
#   examples/bench/long-context/run.sh [SIZES="mini base"] [DATA="long docs-1k"] [OURS="fused:auto fused:false fused:true eager:true"]
# DATA: "long" = rows that are one 8192-token document; "docs-1k" = packed rows of about eight ~1k-token documents
# (ours attends within documents; transformers, which does not unpad, attends over the row, as its users train).
# OURS: attention:checkpointing pairs (checkpointing auto|true|false). Each run is its own process: 3 steps, the
# first a warm-up; the step time is the mean of steps 2 and 3 (from metrics.jsonl / the anchor's own timer), the
# peak is the process's peak RSS after step 3. Vocabulary 50368 (ModernBERT's) for both. THREADS (default: cores).
# Prints a table and writes it to BENCH_RESULTS (default examples/bench/results/long-context.txt). PYTHON: an
# interpreter with transformers.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"
SIZES="${1:-mini base}"
DATA="${2:-long docs-1k}"
OURS="${3:-fused:auto fused:false fused:true eager:true}"
PYTHON="${PYTHON:-$("$ROOT/.ci/python-env.sh")}"
THREADS="${THREADS:-$(nproc)}"
WORK="${BENCH_WORK:-$ROOT/bench-out/long-context}"
mkdir -p "$WORK" "$ROOT/examples/bench/results"
declare -A SHAPE=([tiny]="4 256 4 384" [mini]="10 384 6 576" [base]="22 768 12 1152" [large]="28 1024 16 2624")

if [[ ! -f "$WORK/docs-1k.jsonl" ]]; then
  python3 "$HERE/make_corpora.py" "$ROOT/examples/data/sample/python-docs.jsonl" "$WORK"
fi
for data in $DATA; do
  if [[ ! -f "$WORK/$data/shards/manifest.json" ]]; then
    "$ROOT/bertforge" prepare --input="$WORK/$data.jsonl" --output="$WORK/$data" --vocabSize=8192 \
      --maxSeqLen=8192 --validationFraction=0 >"$WORK/$data.prepare.log" 2>&1
  fi
done

rows=()
for size in $SIZES; do
  for data in $DATA; do
    for spec in $OURS; do
      attention="${spec%%:*}"
      checkpointing="${spec##*:}"
      dir="$WORK/runs/$size-$data-$attention-$checkpointing"
      rm -rf "$dir"
      log="$dir.log"
      mkdir -p "$(dirname "$dir")"
      if BERTFORGE_LOG=info "$ROOT/bertforge" train --config="$ROOT/examples/configs/$size/context_extension.yaml" \
          --set init_from=null --set model.preset="$size" --set model.vocab_size=50368 \
          --set data.train="$WORK/$data/shards" --set data.validation=null --set batch.size=1 \
          --set batch.micro_size=1 --set budget.steps=3 --set budget.tokens=0 --set checkpoint.dir="$dir" \
          --set checkpoint.every_steps=0 --set model.attention="$attention" \
          --set batch.activation_checkpointing="$checkpointing" --set threads="$THREADS" \
          --set log.every_seconds=1000 >"$log" 2>&1; then
        result=$(python3 - "$dir/metrics.jsonl" "$log" <<'PY'
import json, re, sys
train = [json.loads(l) for l in open(sys.argv[1]) if '"train"' in l]
step = (train[2]["elapsed_seconds"] - train[0]["elapsed_seconds"]) / 2
peak = train[2]["peak_rss_bytes"] / 2**30
on = re.search(r"activation checkpointing (on|off)", open(sys.argv[2]).read()).group(1)
print(f"{step:.1f}|{peak:.2f}|{on}")
PY
)
      else
        result="failed|$(grep -m1 -o 'OutOfMemory\|Killed\|Cannot allocate\|bad_alloc' "$log" || echo see log)|-"
      fi
      IFS='|' read -r step peak on <<<"$result"
      rows+=("$size|$data|bertforge $attention, checkpointing $checkpointing ($on)|$step|$peak")
      echo "${rows[-1]}" >&2
    done
    out=$("$PYTHON" "$ROOT/examples/bench/train_step_hf.py" ${SHAPE[$size]} 50368 8192 1 2 --attn=sdpa \
      --threads="$THREADS" 2>&1) || out="$out"$'\nstep_s=failed\npeak_rss_gb=failed'
    rows+=("$size|$data|transformers sdpa|$(grep '^step_s=' <<<"$out" | cut -d= -f2)|$(grep '^peak_rss_gb=' <<<"$out" | cut -d= -f2)")
    echo "${rows[-1]}" >&2
  done
done

{
  echo "One training step at 8192 tokens, micro_size 1, vocabulary 50368, $THREADS threads; $(date -u +%Y-%m-%dT%H:%MZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
  printf '%-5s %-8s %-44s %10s %12s\n' size data system step_s peak_rss_gb
  for r in "${rows[@]}"; do
    IFS='|' read -r size data system step peak <<<"$r"
    printf '%-5s %-8s %-44s %10s %12s\n' "$size" "$data" "$system" "$step" "$peak"
  done
} | tee "${BENCH_RESULTS:-$ROOT/examples/bench/results/long-context.txt}"
