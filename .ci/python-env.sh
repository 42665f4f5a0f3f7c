#!/usr/bin/env bash
# Prints the path of a Python with what the reference checks need (TensorFlow, tokenizers, torch, transformers,
# safetensors), building it on first use as a venv cached in $BERTFORGE_CI_CACHE (default ~/.cache/bertforge-ci)
# from the machine's package index (pip's configuration: the local PyPI mirror and /opt/wheels for torch CPU).
# The product never needs Python; only CI's interop and parity checks do.
set -euo pipefail
CACHE="${BERTFORGE_CI_CACHE:-$HOME/.cache/bertforge-ci}"
VENV="$CACHE/venv"
REQUIREMENTS=(tensorflow-cpu==2.21.0 tokenizers==0.23.2 "torch==2.13.0+cpu" transformers safetensors numpy)
if [[ ! -x "$VENV/bin/python" ]] ||
    ! "$VENV/bin/python" -c "import tensorflow, tokenizers, torch, transformers, safetensors, numpy" 2>/dev/null; then
  rm -rf "$VENV"
  mkdir -p "$CACHE"
  echo "building the CI Python environment in $VENV (once) ..." >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --index-url file:///opt/pypi/simple --extra-index-url file:///opt/pypi-more/simple \
    --find-links /opt/wheels "${REQUIREMENTS[@]}" >"$CACHE/venv.log" 2>&1 || { tail -20 "$CACHE/venv.log" >&2; exit 1; }
fi
echo "$VENV/bin/python"
