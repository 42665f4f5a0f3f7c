"""Checks a bertforge tokenizer directory against the anchor.

  check_tokenizer.py OURS_DIR [HF_TOKENIZER_JSON] [--corpus CORPUS.jsonl]

1. identity (with HF_TOKENIZER_JSON): same vocabulary (same tokens, same ids) and the same merges in the same order;
2. transformers: AutoTokenizer.from_pretrained(OURS_DIR) loads; on the corpus's first documents (or built-in texts)
   it gives the ids of HF tokenizers' Tokenizer.from_file(OURS_DIR/tokenizer.json), [CLS] ... [SEP] around them,
   pads with [PAD], [MASK] is a special token, and decode(encode(x)) == NFC(x);
3. prints the 50 longest tokens from OURS_DIR/report.json.
Exits 1 if any check fails.
"""
import json
import os
import sys
import unicodedata

from tokenizers import Tokenizer
from transformers import AutoTokenizer

TEXTS = ["Hello world, it's 2026!", "naïve café cafe\u0301 Ångström", "emoji 😀👍🏽 👨\u200d👩\u200d👧 🇩🇪",
         "中文字符测试。日本語のテキスト 한국어", "\x00\x01\x07\x1b[31mred\x1b[0m\x1c\x7f", "tab\tnew\nline\r\n  spaces   "]


def identity(ours, theirs):
    a, b = ours["model"], theirs["model"]
    merges = [m if isinstance(m, str) else " ".join(m) for m in b["merges"]]
    same_vocab = list(a["vocab"].items()) == list(b["vocab"].items())
    same_merges = a["merges"] == merges
    first = next((i for i, (x, y) in enumerate(zip(a["merges"], merges)) if x != y), None)
    print(f"identity: vocab {len(a['vocab'])} vs {len(b['vocab'])} tokens, same ids: {same_vocab}; "
          f"merges {len(a['merges'])} vs {len(merges)}, same order: {same_merges}"
          + ("" if first is None else f"; first difference at merge {first}: {a['merges'][first]!r} vs {merges[first]!r}"))
    return same_vocab and same_merges


def transformers_check(directory, texts):
    auto = AutoTokenizer.from_pretrained(directory)
    raw = Tokenizer.from_file(os.path.join(directory, "tokenizer.json"))
    ok = True
    for text in texts:
        ids = auto(text)["input_ids"]
        expected = raw.encode(text).ids
        nfc = unicodedata.normalize("NFC", text)
        back = auto.decode(ids, skip_special_tokens=True)
        if ids != expected or ids[0] != auto.cls_token_id or ids[-1] != auto.sep_token_id or back != nfc:
            ok = False
            print(f"transformers: MISMATCH on {text[:60]!r}: round trip {back == nfc}")
    batch = auto(texts[:2], padding=True)["input_ids"]
    ok &= batch[0][-1] == auto.pad_token_id or batch[1][-1] == auto.pad_token_id
    ok &= auto.mask_token == "[MASK]" and auto.mask_token_id in auto.all_special_ids
    print(f"transformers: AutoTokenizer ({type(auto).__name__}) loads, {len(texts)} texts encode as HF tokenizers "
          f"does and decode back to NFC, padding with [PAD]={auto.pad_token_id}: {ok}")
    return ok


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    corpus = sys.argv[sys.argv.index("--corpus") + 1] if "--corpus" in sys.argv else None
    if corpus in args:
        args.remove(corpus)
    directory = args[0]
    ok = True
    with open(os.path.join(directory, "tokenizer.json"), encoding="utf-8") as f:
        ours = json.load(f)
    if len(args) > 1:
        with open(args[1], encoding="utf-8") as f:
            ok &= identity(ours, json.load(f))
    texts = list(TEXTS)
    if corpus:
        with open(corpus, encoding="utf-8") as f:
            for line, _ in zip(f, range(200)):
                texts.append(json.loads(line)["text"][:5000])
    ok &= transformers_check(directory, texts)
    with open(os.path.join(directory, "report.json"), encoding="utf-8") as f:
        report = json.load(f)
    print("50 longest tokens (bytes, text):")
    for t in report["longest_tokens"]:
        print(f"  {t['bytes']:3d}  {t['text']!r}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
