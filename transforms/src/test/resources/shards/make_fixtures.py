"""Makes the small test fixtures of the token-shard tests (run from this directory with $(.ci/python-env.sh)).

docs.jsonl        40 documents: pseudo-English of very different lengths (some longer than a 64-token row), accents in
                  both NFC and NFD form, CJK, emoji (outside the BMP), one empty and one blank document.
tokenizer/        a byte-level BPE tokenizer.json (vocab 400, NFC, [UNK] [CLS] [SEP] [PAD] [MASK], template
                  "[CLS] $A [SEP]") trained on docs.jsonl with Hugging Face tokenizers.
tokenizer.sha256  hashlib's sha256 of tokenizer/tokenizer.json (what the manifest must record).
encodings.jsonl   {"id", "ids"}: Hugging Face tokenizers' encoding (with [CLS]/[SEP]) of every document: the anchor the
                  Java encoder is compared with.
"""
import hashlib
import json
import os
import random
import unicodedata

from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers

WORDS = ("the a of to and in is that for it as with was on be by this are from or at an which not have one data "
         "model token shard row pack split window document corpus encoder train stage loss batch byte merge vocabulary "
         "sequence length mask attention layer tensor gradient step file record example value list").split()
SPECIALS = ["[UNK]", "[CLS]", "[SEP]", "[PAD]", "[MASK]"]


def sentence(rng):
    words = [rng.choice(WORDS) for _ in range(rng.randint(4, 14))]
    return " ".join(words).capitalize() + rng.choice([".", ".", "?", "!", ";"])


def documents():
    rng = random.Random(20240611)
    docs = []
    for i in range(36):
        # mostly short documents, a few far longer than a 64-token row, one longer than four rows
        n = rng.choice([1, 2, 3, 5, 8]) if i % 7 else rng.choice([20, 30, 45])
        docs.append(" ".join(sentence(rng) for _ in range(n)))
    docs.append(unicodedata.normalize("NFD", "Café déjà vu, naïve façade: ") + "Café déjà vu, naïve façade.")
    docs.append("東京の天気は晴れです。 Tokens 🙂🚀 and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 outside the BMP.\nNew line\ttab.")
    docs.append("")
    docs.append(" \n\t ")
    return [{"id": f"doc-{i:03d}", "text": t} for i, t in enumerate(docs)]


def train(texts):
    tok = Tokenizer(models.BPE(unk_token=None))
    tok.normalizer = normalizers.NFC()
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=400, special_tokens=SPECIALS,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tok.train_from_iterator(texts, trainer)
    cls, sep = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1", special_tokens=[("[CLS]", cls), ("[SEP]", sep)])
    return tok


def main():
    docs = documents()
    tok = train(d["text"] for d in docs)
    os.makedirs("tokenizer", exist_ok=True)
    tok.save("tokenizer/tokenizer.json")
    with open("tokenizer/tokenizer.json", "rb") as f, open("tokenizer.sha256", "w") as out:
        out.write(hashlib.sha256(f.read()).hexdigest() + "\n")
    with open("docs.jsonl", "w", encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps(d, ensure_ascii=False) + "\n")
    with open("encodings.jsonl", "w", encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps({"id": d["id"], "ids": tok.encode(d["text"]).ids}) + "\n")


if __name__ == "__main__":
    main()
