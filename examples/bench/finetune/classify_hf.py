#!/usr/bin/env python3
"""The classify benchmark's anchor: a fine-tuned export run by transformers (sdpa, fp32, no_grad) as a team serves it.

Usage: classify_hf.py MODEL_DIR INPUT_JSONL --max-seq-len 128 --batch-size 32 --latency 200 [--threads 2]

Batch inference: every document of INPUT_JSONL (field text) tokenized (truncated to max-seq-len), sorted by length,
run in batches, softmax and argmax; documents/s with model loading included (as `./bertforge classify` reports it)
and without. Latency: single-document requests (tokenize + forward + softmax) over the first documents, 10 warm-up
requests first; p50/p90/p99. Prints one JSON line.
"""
import argparse
import json
import time

import numpy as np
import torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("input")
    ap.add_argument("--max-seq-len", type=int, default=512)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--latency", type=int, default=200)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    start = time.perf_counter()
    tokenizer = AutoTokenizer.from_pretrained(a.model)
    model = AutoModelForSequenceClassification.from_pretrained(a.model, attn_implementation="sdpa").eval()
    loaded = time.perf_counter()
    texts = [json.loads(line)["text"] for line in open(a.input, encoding="utf-8") if line.strip()]
    encoded = tokenizer(texts, truncation=True, max_length=a.max_seq_len)["input_ids"]
    order = sorted(range(len(texts)), key=lambda i: len(encoded[i]))
    labels = [None] * len(texts)
    with torch.no_grad():
        for b in range(0, len(order), a.batch_size):
            rows = order[b:b + a.batch_size]
            batch = tokenizer.pad({"input_ids": [encoded[i] for i in rows]}, return_tensors="pt")
            probabilities = model(**batch).logits.softmax(-1)
            for r, i in enumerate(rows):
                labels[i] = int(probabilities[r].argmax())
    done = time.perf_counter()

    millis = []
    with torch.no_grad():
        for i in range(-10, a.latency):
            text = texts[i % len(texts)]
            t = time.perf_counter()
            model(**tokenizer(text, truncation=True, max_length=a.max_seq_len, return_tensors="pt")).logits.softmax(-1)
            if i >= 0:
                millis.append((time.perf_counter() - t) * 1000)
    p = lambda q: float(np.percentile(millis, q))
    print(json.dumps({"documents": len(texts), "docs_per_s_with_loading": round(len(texts) / (done - start), 1),
                      "docs_per_s": round(len(texts) / (done - loaded), 1), "p50_ms": round(p(50), 2),
                      "p90_ms": round(p(90), 2), "p99_ms": round(p(99), 2)}))


if __name__ == "__main__":
    main()
