#!/usr/bin/env python3
"""Anchor for examples/bench/train-step.sh: the same training step in transformers (fp32 on the CPU by default).

Usage: train_step_hf.py LAYERS HIDDEN HEADS INTERMEDIATE VOCAB SEQ BATCH STEPS [--dense] [--threads=N]
                        [--attn=sdpa|eager|flash_attention_2] [--device=cpu|cuda] [--bf16]

One step = forward + MLM loss + backward + AdamW step, on random tokens with 30% of the positions labelled
(the recipe's mask rate). By default the MLM head runs only on labelled positions (sparse_prediction, as the
recipe and our trainer do); --dense runs it on every position (transformers' default). The first step is a
warm-up and is not timed. Prints cpu_s=<process CPU seconds per step, all threads>, peak_rss_gb=<peak resident
memory of the process> and, as its last line, step_s=<mean wall seconds per timed step>. --attn picks transformers'
attention (sdpa by default, as its users train; eager for the old comparison). --device=cuda runs on the GPU
(then peak_gpu_gb=<torch.cuda.max_memory_allocated> too) and --bf16 under bf16 autocast with fp32 weights, the
recipe's mixed precision (examples/bench/gpu/run.sh).
"""
import argparse
import resource
import time

import torch
from transformers import ModernBertConfig, ModernBertForMaskedLM


def main():
    p = argparse.ArgumentParser()
    for name in ["layers", "hidden", "heads", "intermediate", "vocab", "seq", "batch", "steps"]:
        p.add_argument(name, type=int)
    p.add_argument("--dense", action="store_true")
    p.add_argument("--threads", type=int, default=0)
    p.add_argument("--attn", default="sdpa")
    p.add_argument("--device", default="cpu")
    p.add_argument("--bf16", action="store_true")
    a = p.parse_args()
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    config = ModernBertConfig(
        vocab_size=a.vocab, hidden_size=a.hidden, num_hidden_layers=a.layers, num_attention_heads=a.heads,
        intermediate_size=a.intermediate, pad_token_id=3, bos_token_id=1, eos_token_id=2, cls_token_id=1,
        sep_token_id=2, global_rope_theta=10000.0, local_rope_theta=10000.0,
        sparse_prediction=not a.dense, attn_implementation=a.attn)
    device = torch.device(a.device)
    model = ModernBertForMaskedLM(config).to(device)
    model.train()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4, betas=(0.9, 0.98), eps=1e-6, weight_decay=1e-5)
    ids = torch.randint(5, a.vocab, (a.batch, a.seq)).to(device)
    labels = torch.where(torch.rand(a.batch, a.seq, device=device) < 0.3, ids, torch.full_like(ids, -100))
    attention_mask = torch.ones_like(ids)
    times = []
    cpu = []
    for step in range(a.steps + 1):
        start = time.perf_counter()
        cpu_start = time.process_time()
        with torch.autocast(device.type, dtype=torch.bfloat16, enabled=a.bf16):
            out = model(input_ids=ids, attention_mask=attention_mask, labels=labels)
        out.loss.backward()
        opt.step()
        opt.zero_grad(set_to_none=True)
        if device.type == "cuda":
            torch.cuda.synchronize()  # the step's kernels are queued, not done, when step() returns
        if step > 0:
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - cpu_start)
        print(f"step {step} loss {out.loss.item():.4f} {time.perf_counter() - start:.3f}s", flush=True)
    print(f"threads={torch.get_num_threads()} sparse_prediction={not a.dense}")
    print(f"cpu_s={sum(cpu) / len(cpu):.4f}")
    print(f"peak_rss_gb={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20:.2f}")
    if device.type == "cuda":
        print(f"peak_gpu_gb={torch.cuda.max_memory_allocated() / 2**30:.2f}")
    print(f"step_s={sum(times) / len(times):.4f}")


if __name__ == "__main__":
    main()
