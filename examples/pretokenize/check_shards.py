#!/usr/bin/env python3
"""Checks token shards written by `./bertforge pretokenize` against TensorFlow and Hugging Face tokenizers.

TensorFlow (tf.data.TFRecordDataset + tf.io.parse_single_example) reads every shard as written, gzip included; then:
  * every row has at most max_seq_len tokens and its doc_lengths sum to its length;
  * across the rows of the training and validation sets, the document segments are exactly what HF tokenizers'
    encoding (with [CLS]/[SEP]) of every input document gives for the mode: the whole document or its windows
    ([CLS] + max_seq_len-2 tokens + [SEP]) for pack/split, its first max_seq_len-1 tokens + [SEP] for truncate;
    none lost, none doubled;
  * a document's windows are all in the same set (validation holds out whole documents);
  * manifest lines equal what the shards hold, totals equal the sums over lines, and documents in = tokenized +
    rejected (blank documents, or nothing but [CLS]/[SEP]).

Usage: check_shards.py --shards OUT --input docs.jsonl [more.jsonl …] --tokenizer DIR_OR_JSON [--text-field text]
(after `prepare`: --shards OUT/shards --input OUT/dedup/kept/*.jsonl --tokenizer OUT/tokenizer)
Exit status 0 when every check passes; otherwise each failure is printed and the status is 1.
"""
import argparse
import collections
import hashlib
import json
import os
import sys

import numpy as np
import tensorflow as tf
from tokenizers import Tokenizer

# Java's Character.isWhitespace, which decides what Pretokenize calls blank (String.isBlank)
JAVA_WHITESPACE = set("\t\n\u000b\f\r\u001c\u001d\u001e\u001f \u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
                      "\u2008\u2009\u200a\u2028\u2029\u205f\u3000")

failures = []


def fail(message):
    failures.append(message)
    if len(failures) <= 20:
        print("FAIL:", message)
    elif len(failures) == 21:
        print("FAIL: … (more failures not shown)")


def digest(ids):
    return hashlib.sha1(np.asarray(ids, dtype=np.int64).tobytes()).digest()


def read_set(directory):
    """(manifest, Counter of segment digests, rows) of one shard directory, checking rows and manifest lines."""
    with open(os.path.join(directory, "manifest.json")) as f:
        manifest = json.load(f)
    max_len = manifest["max_seq_len"]
    features = {"input_ids": tf.io.VarLenFeature(tf.int64), "doc_lengths": tf.io.VarLenFeature(tf.int64)}
    segments = collections.Counter()
    rows = tokens = documents = 0
    for line in manifest["shards"]:
        path = os.path.join(directory, line["file"])
        compression = "GZIP" if path.endswith(".gz") else ""
        shard_rows = shard_tokens = 0
        for record in tf.data.TFRecordDataset(path, compression_type=compression):
            example = tf.io.parse_single_example(record, features)
            ids = tf.sparse.to_dense(example["input_ids"]).numpy()
            lengths = tf.sparse.to_dense(example["doc_lengths"]).numpy()
            if len(ids) > max_len:
                fail(f"{path}: a row of {len(ids)} tokens > max_seq_len {max_len}")
            if int(lengths.sum()) != len(ids):
                fail(f"{path}: doc_lengths sum to {int(lengths.sum())}, the row has {len(ids)} tokens")
            at = 0
            for length in lengths:
                segments[digest(ids[at:at + length])] += 1
                at += int(length)
            shard_rows += 1
            shard_tokens += len(ids)
        if (line["rows"], line["tokens"], line["bytes"]) != (shard_rows, shard_tokens, os.path.getsize(path)):
            fail(f"{path}: manifest says rows={line['rows']} tokens={line['tokens']} bytes={line['bytes']}, "
                 f"the file holds rows={shard_rows} tokens={shard_tokens} bytes={os.path.getsize(path)}")
        rows += shard_rows
        tokens += shard_tokens
        documents += line["documents"]
    totals = manifest["totals"]
    if (totals["rows"], totals["tokens"], totals["documents"], totals["shards"]) != (
            rows, tokens, documents, len(manifest["shards"])):
        fail(f"{directory}: totals {totals} are not the sums over the shard lines "
             f"(rows={rows} tokens={tokens} documents={documents})")
    return manifest, segments, rows


def expected_segments(ids, mode, max_len):
    if mode == "truncate":
        return [list(ids[:min(len(ids), max_len) - 1]) + [ids[-1]]]
    content = max_len - 2
    return [[ids[0]] + list(ids[f:min(len(ids) - 1, f + content)]) + [ids[-1]] for f in range(1, len(ids) - 1, content)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shards", required=True)
    parser.add_argument("--input", required=True, nargs="+", help="the JSONL file(s) of the documents pretokenized")
    parser.add_argument("--tokenizer", required=True)
    parser.add_argument("--text-field", default="text")
    args = parser.parse_args()

    train, train_segments, train_rows = read_set(args.shards)
    sets = {"train": train_segments}
    validation_dir = os.path.join(args.shards, "validation")
    validation = None
    if os.path.exists(os.path.join(validation_dir, "manifest.json")):
        validation, sets["validation"], _ = read_set(validation_dir)
    mode, max_len = train["mode"], train["max_seq_len"]

    path = args.tokenizer if args.tokenizer.endswith(".json") else os.path.join(args.tokenizer, "tokenizer.json")
    with open(path, "rb") as f:
        if hashlib.sha256(f.read()).hexdigest() != train["tokenizer_sha256"]:
            fail(f"the manifest's tokenizer_sha256 is not the sha256 of {path}")
    tokenizer = Tokenizer.from_file(path)
    tokenizer.no_padding()  # train-tokenizer's files pad batches to their longest (for transformers); shards do not
    tokenizer.no_truncation()
    texts = []
    for name in args.input:
        with open(name, encoding="utf-8") as f:
            texts.extend(json.loads(line)[args.text_field] for line in f if line.strip())
    encodings = tokenizer.encode_batch(texts)

    expected = collections.Counter()
    rejected = 0
    documents = []
    for text, encoding in zip(texts, encodings):
        ids = encoding.ids
        if all(c in JAVA_WHITESPACE for c in text) or len(ids) <= 2:
            rejected += 1
            continue
        windows = [digest(w) for w in expected_segments(ids, mode, max_len)]
        expected.update(windows)
        documents.append(windows)
    split_across = 0
    for windows in documents:  # only documents whose windows are unique tell where they went
        held = [any(s[w] > 0 for w in windows) for s in sets.values()]
        if sum(held) > 1 and all(expected[w] == 1 for w in windows):
            split_across += 1
    found = collections.Counter()
    for segments in sets.values():
        found.update(segments)
    lost = sum((expected - found).values())
    extra = sum((found - expected).values())
    if lost or extra:
        fail(f"{lost} expected segments are missing and {extra} segments are not expected (lost or doubled)")
    if split_across:
        fail(f"{split_across} documents have windows in both the training and the validation set")
    # blank documents may stop at ReadDocuments (counted as blank) or at Pretokenize (rejected as blank)
    blank = sum(1 for text in texts if all(c in JAVA_WHITESPACE for c in text))
    tokenized = train["totals"]["documents"] + (validation["totals"]["documents"] if validation else 0)
    manifest_rejected = sum(train.get("rejected_documents", {}).values())
    if tokenized != len(texts) - rejected or not rejected - blank <= manifest_rejected <= rejected:
        fail(f"documents in {len(texts)}: the manifests count {tokenized} tokenized + {manifest_rejected} rejected, "
             f"HF tokenizers gives {len(texts) - rejected} tokenized + {rejected} without tokens ({blank} blank)")

    fill = train["totals"]["fill_ratio"]
    print(f"{args.shards}: mode={mode} max_seq_len={max_len} compression={train['compression']} "
          f"documents={len(texts)} (no tokens {rejected}) segments={sum(expected.values())} rows={train_rows} "
          f"fill={fill:.4f} -> {'OK' if not failures else f'{len(failures)} FAILURES'}")
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
