"""Interim token shards for the trainer's learning benchmark, until `./bertforge prepare` is on main.

Trains a byte-level BPE tokenizer with Hugging Face tokenizers (NFC, byte-level pre-tokenizer, [CLS] $A [SEP],
specials [UNK] [CLS] [SEP] [PAD] [MASK]: DESIGN.md's tokenizer), holds out documents whose id hashes into the
validation share, packs [CLS] doc [SEP] sequences into rows of at most MAX_LEN tokens (documents longer than a row
are split across rows; doc_lengths records each piece), and writes TFRecord shards of tf.train.Example
{input_ids, doc_lengths} with TensorFlow plus manifest.json in the format of the shards pipeline.

  $(.ci/python-env.sh) examples/bench/trainer/make_interim_shards.py /work/bench-data/english-100m.jsonl OUT
writes OUT/tokenizer/tokenizer.json, OUT/shards/tokens-*.tfrecord + manifest.json and
OUT/shards/validation/tokens-*.tfrecord + manifest.json.
"""
import hashlib
import json
import os
import sys
import zlib

import tensorflow as tf
from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers

VOCAB = 8192
MAX_LEN = 1024
SHARDS = 8
VALIDATION = 0.02
SPECIALS = ["[UNK]", "[CLS]", "[SEP]", "[PAD]", "[MASK]"]


def documents(path):
    with open(path) as f:
        for line in f:
            record = json.loads(line)
            yield record["id"], record["text"]


def is_validation(doc_id):
    return zlib.crc32(doc_id.encode()) % 10_000 < VALIDATION * 10_000


def train_tokenizer(path, out):
    tokenizer = Tokenizer(models.BPE(unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.NFC()
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=VOCAB, special_tokens=SPECIALS,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tokenizer.train_from_iterator((text for doc_id, text in documents(path) if not is_validation(doc_id)), trainer)
    cls, sep = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    tokenizer.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B [SEP]", special_tokens=[("[CLS]", cls), ("[SEP]", sep)])
    os.makedirs(out, exist_ok=True)
    file = os.path.join(out, "tokenizer.json")
    tokenizer.save(file)
    return tokenizer, file


def pack(encoded_docs):
    """Sequential packing: fill a row, split a document that does not fit at the row's end."""
    ids, lengths = [], []
    for doc in encoded_docs:
        while doc:
            room = MAX_LEN - len(ids)
            piece, doc = doc[:room], doc[room:]
            ids += piece
            lengths.append(len(piece))
            if len(ids) == MAX_LEN:
                yield ids, lengths
                ids, lengths = [], []
    if ids:
        yield ids, lengths


def write(rows, folder, tokenizer, tokenizer_sha, split, docs):
    os.makedirs(folder, exist_ok=True)
    lines = []
    shards = [rows[i::SHARDS] for i in range(SHARDS)]
    for s, shard in enumerate(shards):
        name = f"tokens-{s:05d}-of-{SHARDS:05d}.tfrecord"
        with tf.io.TFRecordWriter(os.path.join(folder, name)) as writer:
            for ids, lengths in shard:
                writer.write(tf.train.Example(features=tf.train.Features(feature={
                    "input_ids": tf.train.Feature(int64_list=tf.train.Int64List(value=ids)),
                    "doc_lengths": tf.train.Feature(int64_list=tf.train.Int64List(value=lengths)),
                })).SerializeToString())
        lines.append({"file": name, "rows": len(shard), "tokens": sum(len(r[0]) for r in shard),
                      "bytes": os.path.getsize(os.path.join(folder, name))})
    specials = {t: tokenizer.token_to_id(t) for t in SPECIALS}
    manifest = {
        "format": "bertforge-token-shards", "format_version": 1, "split": split,
        "tokenizer_sha256": tokenizer_sha, "vocab_size": tokenizer.get_vocab_size(),
        "special_ids": {"unk": specials["[UNK]"], "cls": specials["[CLS]"], "sep": specials["[SEP]"],
                        "pad": specials["[PAD]"], "mask": specials["[MASK]"]},
        "special_tokens": specials, "max_seq_len": MAX_LEN, "mode": "pack", "compression": "none",
        "features": {"input_ids": "int64_list", "doc_lengths": "int64_list"},
        "totals": {"shards": SHARDS, "documents": docs, "rows": len(rows), "tokens": sum(l["tokens"] for l in lines)},
        "shards": lines,
    }
    with open(os.path.join(folder, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)


def main():
    corpus, out = sys.argv[1], sys.argv[2]
    tokenizer, file = train_tokenizer(corpus, os.path.join(out, "tokenizer"))
    with open(file, "rb") as f:
        sha = hashlib.sha256(f.read()).hexdigest()
    splits = {"train": [], "validation": []}
    for doc_id, text in documents(corpus):
        splits["validation" if is_validation(doc_id) else "train"].append(text)
    for split, texts in splits.items():
        encoded = [e.ids for e in tokenizer.encode_batch(texts)]
        rows = list(pack(encoded))
        folder = os.path.join(out, "shards") if split == "train" else os.path.join(out, "shards", "validation")
        write(rows, folder, tokenizer, sha, split, len(texts))
        print(split, len(texts), "documents", len(rows), "rows", sum(len(r[0]) for r in rows), "tokens")


if __name__ == "__main__":
    main()
