"""Writes the character classes of the GPT-2 split pattern exactly as Hugging Face tokenizers sees them.

HF splits with Oniguruma (Unicode 16 tables in tokenizers 0.23.2), the JDK with its own Unicode version (13 in Java
17), so Character.getType disagrees on ~10,000 newer letters and digits. Rather than depend on the JDK, the Java
pre-tokenizer reads this table, produced by asking HF's ByteLevel pre-tokenizer about every code point:
  'a'+c is one piece  -> c is a letter   (\\p{L})
  '1'+c is one piece  -> c is a number   (\\p{N})
  '!'+c is one piece  -> c is other      ([^\\s\\p{L}\\p{N}])
  otherwise           -> c is whitespace (\\s)

Run: $(.ci/python-env.sh) transforms/src/test/python/make_unicode_classes.py
Writes transforms/src/main/resources/dev/bertforge/transforms/tokenizer/gpt2-char-classes.tsv: one line per range
of letters (L), numbers (N) or whitespace (S), hex start and end inclusive; code points not listed are other.
"""
import os

import tokenizers
from tokenizers import pre_tokenizers

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "../../main/resources/dev/bertforge/transforms/tokenizer/gpt2-char-classes.tsv")

split = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)


def char_class(c):
    for probe, cls in (("a", "L"), ("1", "N"), ("!", "O")):
        if len(split.pre_tokenize_str(probe + c)) == 1:
            return cls
    return "S"


def main():
    ranges = []
    for cp in range(0x110000):
        if 0xD800 <= cp <= 0xDFFF:  # surrogates are not characters; Python cannot pass them to Rust
            continue
        cls = char_class(chr(cp))
        if cls == "O":
            continue
        if ranges and ranges[-1][1] == cp - 1 and ranges[-1][2] == cls:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp, cls])
    with open(OUT, "w") as f:
        f.write(f"# GPT-2 split character classes as seen by Hugging Face tokenizers {tokenizers.__version__}\n")
        f.write("# made by transforms/src/test/python/make_unicode_classes.py; start\\tend\\tclass (L, N or S)\n")
        for start, end, cls in ranges:
            f.write(f"{start:X}\t{end:X}\t{cls}\n")
    print(f"{len(ranges)} ranges -> {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
