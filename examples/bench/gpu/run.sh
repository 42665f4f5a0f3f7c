#!/usr/bin/env bash
# Training throughput of `base` on an NVIDIA GPU: ours through ./bertforge train on a CUDA libtorch, beside
# transformers with attn_implementation="sdpa" and the sparse MLM head (bf16 autocast, as its users train, and fp32
# with TF32, our precision), same shapes, same machine, one process per measurement. For a person with a GPU: the
# machine bertforge is developed on has none, so these figures are not in the README yet.
#
#   examples/bench/gpu/run.sh LIBTORCH_LIB [SIZE=base]
#
# LIBTORCH_LIB: the lib/ folder of a libtorch 2.7.1 built for CUDA 12.8 (the version DJL 0.36's JNI is built
# against), e.g. from the wheel:  pip download --no-deps torch==2.7.1 --index-url https://download.pytorch.org/whl/cu128
#   && unzip -q torch-2.7.1+cu128-*.whl 'torch/lib/*' -d /opt/torch-2.7.1-cu128   → /opt/torch-2.7.1-cu128/torch/lib
# PYTHON: an interpreter with torch (CUDA) and transformers 5.x (default: the CI one, .ci/python-env.sh, which is
# CPU-only: pass your own). B1024 (default 32) and B8192 (default 4): rows per step; STEPS (default 12, the first
# two are warm-up). Writes the table to BENCH_RESULTS (default examples/bench/results/gpu-SIZE.txt).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"
if [[ $# -lt 1 ]]; then
  sed -n 2,17p "$0" >&2
  exit 2
fi
LIB="$(cd "$1" && pwd)"
SIZE="${2:-base}"
PYTHON="${PYTHON:-$("$ROOT/.ci/python-env.sh")}"
STEPS="${STEPS:-12}"
WORK="${BENCH_WORK:-$ROOT/bench-out/gpu}"
RESULTS="${BENCH_RESULTS:-$ROOT/examples/bench/results/gpu-$SIZE.txt}"
declare -A SHAPE=([tiny]="4 256 4 384" [mini]="10 384 6 576" [base]="22 768 12 1152" [large]="28 1024 16 2624")
declare -A BATCH=([1024]="${B1024:-32}" [8192]="${B8192:-4}")
declare -A CONFIG=([1024]=pretrain [8192]=context_extension)

command -v nvidia-smi >/dev/null || { echo "run.sh: no nvidia-smi: this benchmark needs an NVIDIA GPU" >&2; exit 1; }
for so in libtorch.so libtorch_cuda.so; do
  [[ -f "$LIB/$so" ]] || { echo "run.sh: $LIB/$so is missing: LIBTORCH_LIB must be a CUDA libtorch's lib/" >&2; exit 1; }
done
"$PYTHON" -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)' \
  || { echo "run.sh: $PYTHON has no CUDA torch; set PYTHON to one that has" >&2; exit 1; }

# One corpus for both lengths: rows that are one 8192-token document; the 1024 stage cuts them into 1024-token rows.
mkdir -p "$WORK" "$(dirname "$RESULTS")"
if [[ ! -f "$WORK/long/shards/manifest.json" ]]; then
  python3 "$ROOT/examples/bench/long-context/make_corpora.py" "$ROOT/examples/data/sample/python-docs.jsonl" "$WORK"
  "$ROOT/bertforge" prepare --input="$WORK/long.jsonl" --output="$WORK/long" --vocabSize=8192 --maxSeqLen=8192 \
    --validationFraction=0 >"$WORK/prepare.log" 2>&1
fi

rows=()
for seq in 1024 8192; do
  batch="${BATCH[$seq]}"
  dir="$WORK/runs/$SIZE-$seq"
  rm -rf "$dir"
  mkdir -p "$(dirname "$dir")"
  # DJL: PYTORCH_LIBRARY_PATH wins over the CPU libtorch jar on the classpath; the pytorch-jni jar holds the
  # cu128 JNI that PYTORCH_FLAVOR selects. TF32 for the fp32 matrix products (libtorch's own switch).
  if PYTORCH_LIBRARY_PATH="$LIB" PYTORCH_VERSION=2.7.1 PYTORCH_FLAVOR=cu128 TORCH_ALLOW_TF32_CUBLAS_OVERRIDE=1 \
      BERTFORGE_LOG=info "$ROOT/bertforge" train --config="$ROOT/examples/configs/$SIZE/${CONFIG[$seq]}.yaml" \
      --set init_from=null --set model.vocab_size=50368 --set data.train="$WORK/long/shards" \
      --set data.validation=null --set batch.size="$batch" --set batch.micro_size="$batch" \
      --set batch.warmup_tokens=0 --set budget.steps="$STEPS" --set budget.tokens=0 --set checkpoint.dir="$dir" \
      --set checkpoint.every_steps=0 --set model.attention=fused --set model.attention_precision=bf16 \
      --set log.every_seconds=1000 >"$dir.log" 2>&1; then
    grep -q 'gpu(0)' "$dir.log" || { echo "run.sh: DJL did not train on the GPU (see $dir.log)" >&2; exit 1; }
    ours=$(python3 - "$dir/metrics.jsonl" <<'PY'
import json, sys
train = [json.loads(l) for l in open(sys.argv[1]) if '"train"' in l]
first, last = train[1], train[-1]   # steps 1 and 2 are warm-up
print(f"{(last['tokens'] - first['tokens']) / (last['elapsed_seconds'] - first['elapsed_seconds']):.0f}")
PY
)
    memory=$(grep -o 'gpu(0) memory in use [^,;]*' "$dir.log" | tail -1 | sed 's/gpu(0) memory in use //')
  else
    ours="failed (see $dir.log)"
    memory="-"
  fi
  rows+=("$seq|$batch|bertforge fused, fp32 + TF32, attention bf16|$ours|$memory")
  echo "${rows[-1]}" >&2
  for variant in "--bf16|transformers sdpa, bf16 autocast" "|transformers sdpa, fp32 + TF32"; do
    flags="${variant%%|*}"
    name="${variant##*|}"
    # shellcheck disable=SC2086
    if out=$(TORCH_ALLOW_TF32_CUBLAS_OVERRIDE=1 "$PYTHON" "$ROOT/examples/bench/train_step_hf.py" ${SHAPE[$SIZE]} \
        50368 "$seq" "$batch" "$STEPS" --attn=sdpa --device=cuda $flags 2>&1); then
      step=$(grep '^step_s=' <<<"$out" | cut -d= -f2)
      rows+=("$seq|$batch|$name|$(python3 -c "print(f'{$batch * $seq / $step:.0f}')")|$(grep '^peak_gpu_gb=' <<<"$out" | cut -d= -f2) GB")
    else
      rows+=("$seq|$batch|$name|failed: $(tail -1 <<<"$out")|-")
    fi
    echo "${rows[-1]}" >&2
  done
done

{
  echo "$SIZE on $(nvidia-smi --query-gpu=name --format=csv,noheader | head -1); $(date -u +%Y-%m-%dT%H:%MZ); $STEPS steps, vocabulary 50368"
  printf '%-5s %-5s %-46s %14s %s\n' seq rows system tokens_per_s gpu_memory
  for r in "${rows[@]}"; do
    IFS='|' read -r seq batch system tps memory <<<"$r"
    printf '%-5s %-5s %-46s %14s %s\n' "$seq" "$batch" "$system" "$tps" "$memory"
  done
  echo "(The ModernBERT recipe reports about 312k tokens/s per H100 for base at 1024, unpadded flash attention, bf16.)"
} | tee "$RESULTS"
