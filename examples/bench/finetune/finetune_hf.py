#!/usr/bin/env python3
"""The fine-tuning benchmark's anchor: transformers' ModernBertForSequenceClassification fine-tuned with the recipe
`./bertforge finetune` uses, in a plain PyTorch loop as a transformers user writes one.

Usage: finetune_hf.py MODEL_DIR DATA_DIR --lr 1e-4 --batch-size 16 --epochs 3 --max-seq-len 128 --seed 1618
       [--threads 2] [--pooling cls]

MODEL_DIR is a masked-LM Hugging Face directory (what `./bertforge export` writes); DATA_DIR holds train.jsonl and
validation.jsonl (fields text, label), as make_dataset.py writes them. The recipe: `from_pretrained` with
attn_implementation="sdpa" (the encoder and head carried over, the classifier new), the label set sorted,
AdamW (betas 0.9/0.98, eps 1e-6, weight decay on everything but norms and biases), linear warmup over 10% of the
steps then linear decay to 0 (get_linear_schedule_with_warmup), batches grouped by length as ours are (pools of 50
batches sorted by length, then shuffled), dynamic padding, fp32. Prints one JSON line: validation accuracy and
macro-F1 after the last epoch, and the training seconds (evaluation excluded).
"""
import argparse
import json
import os
import random
import time

import numpy as np
import torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer, get_linear_schedule_with_warmup


def read(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def batches(lengths, batch_size, rng, pool_batches=50):
    order = list(range(len(lengths)))
    rng.shuffle(order)
    groups = []
    pool = batch_size * pool_batches
    for start in range(0, len(order), pool):
        part = sorted(order[start:start + pool], key=lambda i: lengths[i])
        groups += [part[b:b + batch_size] for b in range(0, len(part), batch_size)]
    rng.shuffle(groups)
    return groups


def pad(encoded, rows, pad_id):
    width = max(len(encoded[i]) for i in rows)
    ids = torch.full((len(rows), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(rows), width), dtype=torch.long)
    for r, i in enumerate(rows):
        ids[r, :len(encoded[i])] = torch.tensor(encoded[i])
        mask[r, :len(encoded[i])] = 1
    return ids, mask


def macro_f1(truth, predicted, k):
    scores = []
    for c in range(k):
        tp = np.sum((predicted == c) & (truth == c))
        fp = np.sum((predicted == c) & (truth != c))
        fn = np.sum((predicted != c) & (truth == c))
        scores.append(0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn))
    return float(np.mean(scores))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("data")
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--max-seq-len", type=int, default=512)
    ap.add_argument("--warmup-ratio", type=float, default=0.1)
    ap.add_argument("--weight-decay", type=float, default=1e-5)
    ap.add_argument("--seed", type=int, default=1618)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--pooling", default="cls")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    rng = random.Random(a.seed)

    train = read(os.path.join(a.data, "train.jsonl"))
    validation = read(os.path.join(a.data, "validation.jsonl"))
    labels = sorted({r["label"] for r in train})
    label2id = {l: i for i, l in enumerate(labels)}
    tokenizer = AutoTokenizer.from_pretrained(a.model)
    model = AutoModelForSequenceClassification.from_pretrained(
        a.model, num_labels=len(labels), id2label=dict(enumerate(labels)), label2id=label2id,
        classifier_pooling=a.pooling, attn_implementation="sdpa")
    encode = lambda rows: [tokenizer(r["text"], truncation=True, max_length=a.max_seq_len)["input_ids"] for r in rows]
    train_ids, validation_ids = encode(train), encode(validation)
    train_y = torch.tensor([label2id[r["label"]] for r in train])
    validation_y = np.array([label2id[r["label"]] for r in validation])
    pad_id = tokenizer.pad_token_id

    no_decay = lambda name, p: p.ndim <= 1 or name.endswith(".bias")
    groups = [
        {"params": [p for n, p in model.named_parameters() if not no_decay(n, p)], "weight_decay": a.weight_decay},
        {"params": [p for n, p in model.named_parameters() if no_decay(n, p)], "weight_decay": 0.0},
    ]
    optimizer = torch.optim.AdamW(groups, lr=a.lr, betas=(0.9, 0.98), eps=1e-6)
    steps_per_epoch = (len(train) + a.batch_size - 1) // a.batch_size
    total = steps_per_epoch * a.epochs
    schedule = get_linear_schedule_with_warmup(optimizer, round(a.warmup_ratio * total), total)
    lengths = [len(x) for x in train_ids]

    train_seconds = 0.0
    for epoch in range(1, a.epochs + 1):
        model.train()
        start = time.perf_counter()
        loss_sum = 0.0
        for rows in batches(lengths, a.batch_size, rng):
            ids, mask = pad(train_ids, rows, pad_id)
            out = model(input_ids=ids, attention_mask=mask, labels=train_y[rows])
            out.loss.backward()
            optimizer.step()
            schedule.step()
            optimizer.zero_grad(set_to_none=True)
            loss_sum += out.loss.item() * len(rows)
        train_seconds += time.perf_counter() - start
        model.eval()
        predicted = np.zeros(len(validation), dtype=np.int64)
        order = sorted(range(len(validation)), key=lambda i: len(validation_ids[i]))
        with torch.no_grad():
            for b in range(0, len(order), 32):
                rows = order[b:b + 32]
                ids, mask = pad(validation_ids, rows, pad_id)
                predicted[rows] = model(input_ids=ids, attention_mask=mask).logits.argmax(-1).numpy()
        accuracy = float(np.mean(predicted == validation_y))
        f1 = macro_f1(validation_y, predicted, len(labels))
        print(f"epoch {epoch}: train loss {loss_sum / len(train):.4f}, accuracy {accuracy:.4f}, macro_f1 {f1:.4f}",
              flush=True)
    print(json.dumps({"accuracy": accuracy, "macro_f1": f1, "train_seconds": round(train_seconds, 2),
                      "seed": a.seed, "train_examples": len(train), "validation_examples": len(validation)}))


if __name__ == "__main__":
    main()
