#!/usr/bin/env python3
"""Loads a classifier exported by `./bertforge finetune` with transformers and compares it with `./bertforge classify`.

Usage: check_classifier.py EXPORT_DIR INPUT_JSONL PREDICTIONS_DIR   (used by check-classifier.sh)
EXPORT_DIR must load as AutoModelForSequenceClassification with no missing or unexpected keys; for every record of
INPUT_JSONL (fields id, text, pair) transformers' probabilities (eager, fp32, AutoTokenizer with truncation) must
equal the "scores" classify wrote within 1e-4 and the predicted labels must be the same.
"""
import glob
import json
import sys

import torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer


def main():
    export, inputs, predictions_dir = sys.argv[1:4]
    model, info = AutoModelForSequenceClassification.from_pretrained(export, output_loading_info=True,
                                                                     attn_implementation="eager")
    problems = {k: v for k, v in info.items() if v}
    assert not problems, f"loading info: {problems}"
    model.eval()
    tokenizer = AutoTokenizer.from_pretrained(export)
    ours = {}
    for file in glob.glob(f"{predictions_dir}/predictions-*.jsonl"):
        for line in open(file):
            record = json.loads(line)
            ours[record["id"]] = record
    records = [json.loads(line) for line in open(inputs)]
    assert len(ours) == len(records), f"{len(ours)} predictions for {len(records)} records"
    labels = [model.config.id2label[i] for i in range(model.config.num_labels)]
    worst = 0.0
    for record in records:
        encoded = tokenizer(record["text"], record["pair"], truncation=True, max_length=512, return_tensors="pt")
        with torch.no_grad():
            probabilities = model(**encoded).logits.softmax(-1)[0]
        mine = ours[record["id"]]
        theirs = labels[int(probabilities.argmax())]
        assert mine["label"] == theirs, f"{record['id']}: classify says {mine['label']}, transformers {theirs}"
        for i, label in enumerate(labels):
            worst = max(worst, abs(mine["scores"][label] - float(probabilities[i])))
    print(f"classifier export: {model.config.num_labels} labels {labels}, pooling {model.config.classifier_pooling}; "
          f"{len(records)} pairs, max |probability difference| = {worst:.2e}")
    assert worst < 1e-4, worst


if __name__ == "__main__":
    main()
