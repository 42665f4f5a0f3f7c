#!/usr/bin/env python3
"""Two corpora for the long-context benchmark, made from the bundled sample corpus (Python 3.11 docs, PSF licence).

Usage: make_corpora.py SAMPLE.jsonl OUT_DIR
Writes OUT_DIR/long.jsonl (documents of consecutive sections joined to >= 48,000 characters: with the 8192-id
tokenizer of the sample, about 4 bytes per token, each is longer than 8192 tokens, so a row pretokenized at 8192
is one document) and OUT_DIR/docs-1k.jsonl (sections joined to about 4,100 characters, about 1,000 tokens: a packed
8192-token row holds about eight of them).
"""
import json
import sys


def join(sections, min_chars):
    out, current = [], []
    size = 0
    for text in sections:
        current.append(text)
        size += len(text)
        if size >= min_chars:
            out.append("\n\n".join(current))
            current, size = [], 0
    return out


def main():
    sample, out_dir = sys.argv[1], sys.argv[2]
    with open(sample, encoding="utf-8") as f:
        sections = [json.loads(line)["text"] for line in f]
    for name, min_chars in (("long", 48_000), ("docs-1k", 4_100)):
        docs = join(sections, min_chars)
        if name == "docs-1k":  # cut the rare long ones so that every document is about 1k tokens
            docs = [d[:4_400] for d in docs]
        with open(f"{out_dir}/{name}.jsonl", "w", encoding="utf-8") as f:
            for i, text in enumerate(docs):
                f.write(json.dumps({"id": f"{name}-{i:05d}", "text": text}) + "\n")
        print(f"{name}: {len(docs)} documents", file=sys.stderr)


if __name__ == "__main__":
    main()
