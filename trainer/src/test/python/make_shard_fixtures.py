"""Writes the token-shard fixtures of the trainer's data tests with TensorFlow itself.

Run from the repository root:  $(.ci/python-env.sh) trainer/src/test/python/make_shard_fixtures.py
Writes trainer/src/test/resources/shards/{plain,gzip}/ with two shards each (tf.io.TFRecordWriter +
tf.train.Example holding int64 lists input_ids and doc_lengths, plus an unrelated bytes feature and float
feature the reader must skip), a manifest.json in the DESIGN.md format, and expected.json with every row and
the byte offset of every record of the plain shards, computed from the framing independently of the writer.
"""
import hashlib
import json
import os
import random

import tensorflow as tf

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "shards")
VOCAB = 1000
SPECIAL = {"[UNK]": 0, "[CLS]": 1, "[SEP]": 2, "[PAD]": 3, "[MASK]": 4}


def make_rows(rng, count, shard):
    rows = []
    for i in range(count):
        docs = [rng.randint(3, 25) for _ in range(rng.randint(1, 3))]
        ids = []
        for length in docs:
            ids += [SPECIAL["[CLS]"]] + [rng.randint(5, VOCAB - 1) for _ in range(length - 2)] + [SPECIAL["[SEP]"]]
        if shard == 0 and i == 0:
            ids[1] = VOCAB - 1  # a two-byte varint at the top of the vocabulary
        rows.append({"input_ids": ids, "doc_lengths": docs})
    return rows


def example(row, index):
    return tf.train.Example(features=tf.train.Features(feature={
        "input_ids": tf.train.Feature(int64_list=tf.train.Int64List(value=row["input_ids"])),
        "doc_lengths": tf.train.Feature(int64_list=tf.train.Int64List(value=row["doc_lengths"])),
        "id": tf.train.Feature(bytes_list=tf.train.BytesList(value=[f"doc-{index}".encode()])),
        "score": tf.train.Feature(float_list=tf.train.FloatList(value=[0.5, 1.5])),
    })).SerializeToString()


def main():
    rng = random.Random(7)
    shards = [make_rows(rng, 12, 0), make_rows(rng, 9, 1)]
    expected = {"shards": []}
    for kind, options, suffix in [("plain", None, ".tfrecord"), ("gzip", "GZIP", ".tfrecord.gz")]:
        folder = os.path.join(OUT, kind)
        os.makedirs(folder, exist_ok=True)
        lines = []
        for s, rows in enumerate(shards):
            name = f"tokens-{s:05d}-of-{len(shards):05d}{suffix}"
            offsets, offset = [], 0
            with tf.io.TFRecordWriter(os.path.join(folder, name), options=options) as writer:
                for r, row in enumerate(rows):
                    payload = example(row, f"{s}-{r}")
                    writer.write(payload)
                    offsets.append(offset)
                    offset += 8 + 4 + len(payload) + 4
            lines.append({"file": name, "rows": len(rows), "tokens": sum(len(r["input_ids"]) for r in rows)})
            if kind == "plain":
                expected["shards"].append({"file": name, "offsets": offsets, "rows": rows})
        manifest = {
            "format_version": 1,
            "tokenizer_sha256": hashlib.sha256(b"fixture tokenizer").hexdigest(),
            "vocab_size": VOCAB,
            "special_tokens": SPECIAL,
            # the roles as the shards pipeline writes them; the plain set leaves them out, so the reader's
            # fallback to the token texts is tested too
            **({"special_ids": {"unk": 0, "cls": 1, "sep": 2, "pad": 3, "mask": 4}} if kind == "gzip" else {}),
            "max_seq_len": 80,
            "mode": "pack",
            "totals": {"documents": sum(len(r["doc_lengths"]) for rows in shards for r in rows),
                       "rows": sum(l["rows"] for l in lines), "tokens": sum(l["tokens"] for l in lines)},
            "shards": lines,
        }
        with open(os.path.join(folder, "manifest.json"), "w") as f:
            json.dump(manifest, f, indent=1)
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f)
    # TensorFlow reads its own files back the way DESIGN.md promises users it can.
    spec = {"input_ids": tf.io.VarLenFeature(tf.int64), "doc_lengths": tf.io.VarLenFeature(tf.int64)}
    for kind, compression in [("plain", ""), ("gzip", "GZIP")]:
        files = sorted(tf.io.gfile.glob(os.path.join(OUT, kind, "tokens-*")))
        count = sum(1 for _ in tf.data.TFRecordDataset(files, compression_type=compression)
                    .map(lambda r: tf.io.parse_single_example(r, spec)))
        assert count == sum(len(rows) for rows in shards), count


if __name__ == "__main__":
    main()
