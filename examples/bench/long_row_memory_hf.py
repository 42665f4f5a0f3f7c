#!/usr/bin/env python3
"""Anchor for long-row-memory.sh: peak RSS of transformers' ModernBertForMaskedLM on one long row.

Usage: long_row_memory_hf.py SIZE LENGTH forward|train [--attn=eager|sdpa]
Same shapes as ours (vocab 50368; one document; MLM head on 30% of the positions, sparse_prediction).
Prints peak_rss_gb=<ru_maxrss> last.
"""
import argparse
import resource
import time

import torch
from transformers import ModernBertConfig, ModernBertForMaskedLM

SIZES = {"tiny": (4, 256, 4, 384), "mini": (10, 384, 6, 576), "base": (22, 768, 12, 1152),
         "large": (28, 1024, 16, 2624)}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("size", choices=SIZES)
    p.add_argument("length", type=int)
    p.add_argument("mode", choices=["forward", "train"])
    p.add_argument("--attn", default="eager")
    a = p.parse_args()
    layers, hidden, heads, intermediate = SIZES[a.size]
    config = ModernBertConfig(vocab_size=50368, hidden_size=hidden, num_hidden_layers=layers,
                              num_attention_heads=heads, intermediate_size=intermediate, sparse_prediction=True,
                              attn_implementation=a.attn)
    model = ModernBertForMaskedLM(config)
    ids = torch.randint(5, 50000, (1, a.length))
    labels = torch.where(torch.rand(1, a.length) < 0.3, ids, torch.full_like(ids, -100))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    start = time.perf_counter()
    if a.mode == "forward":
        model.eval()
        with torch.no_grad():
            loss = model(input_ids=ids, labels=labels).loss
    else:
        model.train()
        opt = torch.optim.AdamW(model.parameters(), lr=1e-4)
        loss = model(input_ids=ids, labels=labels).loss
        loss.backward()
        opt.step()
    print(f"transformers {a.attn} {a.size}, {a.length} tokens, {a.mode}: loss {loss.item():.4f} in "
          f"{time.perf_counter() - start:.1f} s")
    print(f"rss_before_gb={before:.2f}")
    print(f"peak_rss_gb={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20:.2f}")


if __name__ == "__main__":
    main()
