#!/usr/bin/env python3
"""Makes examples/parity/tokenizer/tokenizer.json: a small byte-level BPE tokenizer in the format bertforge's
tokenizer trainer writes (NFC, byte-level pre-tokenizer and decoder, [UNK] [CLS] [SEP] [PAD] [MASK] = 0..4,
[MASK] with lstrip, template "[CLS] $A [SEP]"), trained with python `tokenizers` on the text below. It stands in
for a real tokenizer in check-export.sh.  Run: $(.ci/python-env.sh) examples/parity/make_tokenizer.py
"""
import os

from tokenizers import AddedToken, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers

TEXT = """
The city council met on Tuesday to discuss the new budget for the public library and the school district.
Members of the council said the library would open a new branch in the north of the city next year.
The river flows through the old town, past the market square and the cathedral, to the harbour.
Scientists at the university published a study on the migration of birds across the northern sea.
The company reported higher revenue in the third quarter, driven by sales of its new software product.
She walked to the station in the morning rain and took the early train to the capital.
The museum opened an exhibition of paintings from the nineteenth century, with works by many artists.
Farmers in the valley grow wheat, barley and potatoes, and keep sheep on the hills above the village.
""".strip().split("\n")
SPECIALS = ["[UNK]", "[CLS]", "[SEP]", "[PAD]", "[MASK]"]


def main():
    tok = Tokenizer(models.BPE(unk_token="[UNK]"))
    tok.normalizer = normalizers.NFC()
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=400, min_frequency=1, special_tokens=SPECIALS,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tok.train_from_iterator(TEXT * 20, trainer=trainer)
    tok.add_special_tokens([AddedToken("[MASK]", lstrip=True, special=True)])
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", tok.token_to_id("[CLS]")), ("[SEP]", tok.token_to_id("[SEP]"))])
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tokenizer")
    os.makedirs(out, exist_ok=True)
    tok.save(os.path.join(out, "tokenizer.json"))
    print("vocab", tok.get_vocab_size(), "ids", [tok.token_to_id(t) for t in SPECIALS])


if __name__ == "__main__":
    main()
