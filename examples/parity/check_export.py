#!/usr/bin/env python3
"""Checks a bertforge export with transformers (called by check-export.sh).

Usage: check_export.py EXPORT_DIR OUR_LOGITS.safetensors|- FILL_MASK_DIR
- loads EXPORT_DIR with AutoModelForMaskedLM (eager, fp32) and fails on any missing/unexpected/mismatched key or an
  untied decoder;
- compares transformers' logits with ours (OUR_LOGITS: input_ids, attention_mask, logits) on real tokens (skipped
  for "-");
- compares transformers' fill-mask pipeline with each FILL_MASK_DIR/<n>.json written by
  `./bertforge fill-mask --json --text=...` (texts in FILL_MASK_DIR/<n>.txt): same ids and token strings in the
  same order, scores within 1e-5.
Prints the figures; exits non-zero on any failure.
"""
import glob
import json
import os
import sys

import torch
from safetensors.torch import load_file
from transformers import AutoModelForMaskedLM, AutoTokenizer, pipeline


def main():
    export_dir, logits_file, fill_dir = sys.argv[1:4]
    model, info = AutoModelForMaskedLM.from_pretrained(export_dir, attn_implementation="eager",
                                                       dtype=torch.float32, output_loading_info=True)
    problems = {k: v for k, v in info.items() if v}
    assert not problems, f"loading problems: {problems}"
    assert model.decoder.weight.data_ptr() == model.model.embeddings.tok_embeddings.weight.data_ptr(), "not tied"
    model.eval()

    if logits_file != "-":
        compare_logits(model, load_file(logits_file))

    tokenizer = AutoTokenizer.from_pretrained(export_dir)
    fill = pipeline("fill-mask", model=model, tokenizer=tokenizer)
    worst = 0.0
    files = sorted(glob.glob(os.path.join(fill_dir, "*.json")))
    for path in files:
        text = open(path[:-5] + ".txt").read().rstrip("\n")
        ours = json.load(open(path))
        top_k = len(ours[0]["predictions"])
        theirs = fill(text, top_k=top_k)
        theirs = [theirs] if len(ours) == 1 else theirs
        assert len(theirs) == len(ours), (text, len(theirs), len(ours))
        positions = [i for i, t in enumerate(tokenizer(text)["input_ids"]) if t == tokenizer.mask_token_id]
        for mask_ours, mask_theirs, position in zip(ours, theirs, positions):
            assert mask_ours["position"] == position, (mask_ours["position"], position)
            for a, b in zip(mask_ours["predictions"], mask_theirs):
                assert a["id"] == b["token"] and a["token"] == b["token_str"], (text, a, b)
                worst = max(worst, abs(a["score"] - b["score"]))
    print(f"fill-mask: {len(files)} texts, same ids and tokens, max |score diff| = {worst:.3g}")
    assert files and worst < 1e-5, worst
    print("OK")


def compare_logits(model, ours):
    ids = ours["input_ids"].long()
    mask = ours["attention_mask"].long()
    with torch.no_grad():
        theirs = model(input_ids=ids, attention_mask=mask).logits
    real = mask.bool()
    diff = (theirs[real] - ours["logits"][real]).abs().max().item()
    print(f"logits: {int(real.sum())} tokens in {ids.shape[0]} rows (longest {ids.shape[1]}), "
          f"max |transformers - bertforge| = {diff:.3g}")
    assert diff < 1e-4, diff


if __name__ == "__main__":
    main()
