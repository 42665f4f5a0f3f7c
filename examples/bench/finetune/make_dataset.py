#!/usr/bin/env python3
"""Builds the fine-tuning benchmark's labelled data set from the bundled sample corpus.

Usage: make_dataset.py SAMPLE_JSONL OUT_DIR

Source: examples/data/sample/python-docs.jsonl, 3,065 sections of the Python 3.11 documentation (PSF licence, see
examples/data/sample/SOURCE.md). Task: from a section's text, which part of the documentation it comes from —
"library" (the standard library reference), "howto", "reference" (the language reference) or "other" (the FAQ,
tutorial, setup, extending/embedding, installing and the rest). "library" is 76% of the sections, so it is
subsampled to 400 (the first 400 by a hash of the id) to leave a task where the majority class is 35%. The split is
by a hash of the id too: 20% validation. Writes OUT_DIR/train.jsonl and OUT_DIR/validation.jsonl with fields id,
text, label, and prints the class counts.
"""
import collections
import hashlib
import json
import os
import sys


def unit(key):
    return int(hashlib.sha256(key.encode()).hexdigest()[:12], 16) / 16 ** 12


def main():
    sample, out = sys.argv[1:3]
    os.makedirs(out, exist_ok=True)
    records = []
    for line in open(sample, encoding="utf-8"):
        doc = json.loads(line)
        part = doc["source"].split(":", 1)[1].split("/")[0]
        label = part if part in ("library", "howto", "reference") else "other"
        records.append({"id": doc["id"], "text": doc["text"], "label": label})
    library = sorted((r for r in records if r["label"] == "library"), key=lambda r: unit("keep:" + r["id"]))
    kept = library[:400] + [r for r in records if r["label"] != "library"]
    kept.sort(key=lambda r: r["id"])
    splits = {"train": [], "validation": []}
    for r in kept:
        splits["validation" if unit("split:" + r["id"]) < 0.2 else "train"].append(r)
    for name, rows in splits.items():
        with open(os.path.join(out, f"{name}.jsonl"), "w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        print(name, len(rows), dict(sorted(collections.Counter(r["label"] for r in rows).items())))


if __name__ == "__main__":
    main()
