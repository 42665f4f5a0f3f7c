"""Reference fixtures for the Java tokenizer trainer, made with Hugging Face tokenizers (the anchor).

Run: $(.ci/python-env.sh) transforms/src/test/python/make_tokenizer_fixtures.py
Writes, under transforms/src/test/resources/dev/bertforge/transforms/tokenizer/:
  pretokenize.json      tricky and random strings with HF's NFC + ByteLevel pre-tokens (byte-level strings)
  corpus-licenses.jsonl documents: paragraphs of the GPL-3 and Apache-2.0 texts plus multilingual/tricky lines
  corpus-ties.jsonl     documents of random words over a 3-letter alphabet (many equal pair counts: tie-breaking)
  hf-<name>.json        the tokenizer HF trains on each corpus (train_from_iterator over the documents, as the
                        Java TrainTokenizer feeds them), plus HF's encodings of a few texts with that tokenizer
  base-tokenizer.json   a GPT-style tokenizer (one <|endoftext|> special, no template) for --baseTokenizer tests
mvn verify never runs this script; it only reads the committed files.
"""
import json
import os
import random
import unicodedata

import tokenizers
from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(HERE, "../resources/dev/bertforge/transforms/tokenizer"))
SPECIALS = ["[UNK]", "[CLS]", "[SEP]", "[PAD]", "[MASK]"]

TRICKY = [
    "Hello world", "  leading spaces", "trailing   ", "a   b", "a \nb", "tab\tand\nnewline\r\nend",
    "don't I'll we've they're she'd I'm it's", "DON'T 'S 'Re", "'s'll'd''", "x'", "'", "' s", " 'sup", "?'s",
    "123 4567 1.5e-3 ½ ⅔ ² ٣٤٥ ८९ Ⅻ ①", "naïve café cafe\u0301 A\u030A Å \u212B", "ﬁ ligature Ω \u2126",
    "한국어 \u1100\u1161\u11A8", "emoji 😀👍🏽 👨\u200d👩\u200d👧 🇩🇪 x😀y", "CJK 中文字符测试。日本語のテキスト、カタカナ",
    "ภาษาไทย العربية עברית हिन्दी ქართული Ελληνικά русский", "\x00\x01\x07\x1b[31mred\x1b[0m",
    "\x1c\x1d\x1e\x1f sep", "\x85NEL\x85", "nb\xa0sp \xa0 x", "\u2000\u2001\u2002 \u200b zero\u200dwidth",
    "\u3000ideographic\u3000\u3000x", "line\u2028para\u2029", "\u202f\u205f narrow", "\ufeffBOM", "soft\xadhyphen",
    "mixed123abc!!!  ???", "   \n\n  x", "\n", " ", "  ", "e-mail: foo@bar.com, https://x.y/z?q=1&r=2",
    "∑∫√∞ ≠ ≤ → ⇒", "a\u0300\u0301\u0302 Z\u0351\u0352\u0353", "Ǆǅǆ ʰʲ ǈ", "\u0870\u0871 \U0001E4D0\U0001E4F0 \U00010D40",
    "tabs\t\t\tthen text", "\r\r\n\n", "end with space ", "x\u3000\u3000", "12\u00a034", "$100,000.00 ¥500 €3",
    "<html><body class=\"x\">Hi</body></html>", "def f(x):\n    return x ** 2\n", "\U0001F600\U0001F600\U0001F600",
]

POOLS = [
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", "0123456789", " " * 6, "\t\n\r", ".,;:!?-_()[]{}\"'/\\@#$%^&*",
    "'", "éüñçÅøßæ", "\u0300\u0301\u0308", "中文字符日本語한국어", "😀👍🏽🇩🇪🧑\u200d💻", "\xa0\u2000\u3000\x85\u2028\u202f",
    "\x00\x01\x1b\x7f\x1c\x1f", "½²٣८Ⅻ①", "ภาษาไทยالعربيةहिन्दी",
]


def random_strings(count, seed):
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        chars = []
        for _ in range(rng.randint(1, 30)):
            if rng.random() < 0.05:
                cp = rng.randint(0x80, 0x10FFFF)
                while 0xD800 <= cp <= 0xDFFF:
                    cp = rng.randint(0x80, 0x10FFFF)
                chars.append(chr(cp))
            else:
                chars.append(rng.choice(rng.choice(POOLS)))
        out.append("".join(chars))
    return out


def pretokenize_fixture():
    nfc = normalizers.NFC()
    split = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    cases = []
    for text in TRICKY + random_strings(600, seed=7):
        pieces = [p for p, _ in split.pre_tokenize_str(nfc.normalize_str(text))]
        cases.append({"text": text, "pieces": pieces})
    return cases


def license_documents():
    docs = []
    for name in ("GPL-3", "Apache-2.0"):
        with open(f"/usr/share/common-licenses/{name}", encoding="utf-8") as f:
            for paragraph in f.read().split("\n\n"):
                if paragraph.strip():
                    docs.append(paragraph + "\n")
    return docs + TRICKY


def tie_documents():
    rng = random.Random(11)
    docs = []
    for _ in range(300):
        words = ["".join(rng.choice("abc") for _ in range(rng.randint(1, 7))) for _ in range(rng.randint(1, 12))]
        docs.append(" ".join(words))
    return docs


def train(docs, vocab_size):
    tok = Tokenizer(models.BPE())
    tok.normalizer = normalizers.NFC()
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size, min_frequency=2, special_tokens=SPECIALS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tok.train_from_iterator(docs, trainer=trainer)
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B [SEP]",
        special_tokens=[(t, tok.token_to_id(t)) for t in ("[CLS]", "[SEP]")])
    return tok


def write_json(name, value):
    with open(os.path.join(OUT, name), "w", encoding="utf-8") as f:
        json.dump(value, f, ensure_ascii=True, indent=1)
        f.write("\n")


def write_jsonl(name, docs):
    with open(os.path.join(OUT, name), "w", encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps({"text": d}, ensure_ascii=True) + "\n")


def main():
    os.makedirs(OUT, exist_ok=True)
    write_json("pretokenize.json", {"tokenizers": tokenizers.__version__, "cases": pretokenize_fixture()})
    samples = TRICKY[:20] + ["The licensee may convey the work.", "Copyright (C) 2007 Free Software Foundation"]
    for name, docs, vocab in (("licenses", license_documents(), 1024), ("ties", tie_documents(), 512)):
        write_jsonl(f"corpus-{name}.jsonl", docs)
        tok = train(docs, vocab)
        model = json.loads(tok.to_str())["model"]
        encodings = [{"text": s, "ids": tok.encode(s).ids} for s in samples]
        write_json(f"hf-{name}.json", {
            "tokenizers": tokenizers.__version__, "vocab_size": vocab, "min_frequency": 2, "special_tokens": SPECIALS,
            "vocab": sorted(model["vocab"], key=model["vocab"].get),
            "merges": [" ".join(m) if isinstance(m, list) else m for m in model["merges"]],
            "encodings": encodings,
        })
        print(f"{name}: {len(docs)} documents, {len(model['vocab'])} tokens, {len(model['merges'])} merges")
    base = Tokenizer(models.BPE())
    base.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    base.decoder = decoders.ByteLevel()
    base.train_from_iterator(license_documents(), trainer=trainers.BpeTrainer(
        vocab_size=600, special_tokens=["<|endoftext|>"], initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False))
    base.post_processor = processors.ByteLevel(trim_offsets=False)
    base.save(os.path.join(OUT, "base-tokenizer.json"))


if __name__ == "__main__":
    main()
