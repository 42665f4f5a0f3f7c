"""The anchor: Hugging Face tokenizers' BpeTrainer via train_from_iterator, configured as bertforge's defaults.

  hf_train.py CORPUS.jsonl VOCAB_SIZE OUT_TOKENIZER_JSON

Feeds the "text" of every JSONL line as one document (documents whose text is blank are skipped, as bertforge's
ReadDocuments skips them), with NFC, ByteLevel(add_prefix_space=False, use_regex=True), min_frequency=2, the five BERT
specials and the full byte alphabet. Prints one JSON line: documents, read/train seconds and peak RSS.
"""
import json
import resource
import sys
import time

from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers

SPECIALS = ["[UNK]", "[CLS]", "[SEP]", "[PAD]", "[MASK]"]


def main():
    corpus, vocab_size, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    started = time.time()
    with open(corpus, encoding="utf-8") as f:
        docs = [d for d in (json.loads(line)["text"] for line in f if line.strip()) if d.strip()]
    read = time.time() - started

    tok = Tokenizer(models.BPE())
    tok.normalizer = normalizers.NFC()
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, min_frequency=2, special_tokens=SPECIALS,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    started = time.time()
    tok.train_from_iterator(docs, trainer=trainer)
    train = time.time() - started
    tok.save(out)
    print(json.dumps({"documents": len(docs), "read_seconds": round(read, 2), "train_seconds": round(train, 2),
                      "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}))


if __name__ == "__main__":
    main()
