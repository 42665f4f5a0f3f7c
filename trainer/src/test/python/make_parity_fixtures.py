#!/usr/bin/env python3
"""Makes the parity fixtures under trainer/src/test/resources/parity/ with transformers' ModernBertForMaskedLM.

Run from the repository root:  $(.ci/python-env.sh) trainer/src/test/python/make_parity_fixtures.py
(transformers 5.18.0, torch 2.13 CPU were used for the committed files.)

For each size, a random-initialised model (weights drawn wide enough that every block matters; LayerNorm weights
and the decoder bias random too) is saved with save_pretrained (config.json + model.safetensors, the files our
import reads), and the expected outputs of the eager fp32 model are written to expected.safetensors:
  padded_logits   [3, S, V]  a right-padded batch of three rows (attention mask), rows longer than the window
  packed_logits   [T, V]     the documents of one packed row, each run alone and concatenated (HF cannot pack)
  loss            []         mean MLM cross-entropy on labelled positions of the padded batch
  grad.<name>                gradients of that loss for a few parameters (one batch token is the pad id inside a
                             document: nn.Embedding(padding_idx) gives its lookup no gradient, while the tied
                             decoder still does)
inputs.safetensors holds the ids, attention mask, packed row, doc lengths and labels.

tokenizer/tokenizer.json is a small word-level tokenizer (python `tokenizers`, BERT-style specials and template)
whose ids fit the l4_h32 vocabulary; fill_mask.json holds transformers' fill-mask pipeline output for that model
and tokenizer (top 5, several texts, one with two masks).
"""
import json
import os

import torch
from safetensors.torch import save_file
from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors
from transformers import ModernBertConfig, ModernBertForMaskedLM, PreTrainedTokenizerFast, pipeline

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "parity")
GRAD_KEYS = ["model.embeddings.tok_embeddings.weight", "model.layers.1.attn.Wqkv.weight",
             "model.layers.0.mlp.Wi.weight", "head.dense.weight", "decoder.bias"]

SIZES = {
    # 4 layers: layer 0 (no attn_norm) and 3 global, 1 and 2 local; ModernBERT's window (±64); power-of-two head dim
    "l4_h32": dict(num_hidden_layers=4, hidden_size=32, num_attention_heads=2, intermediate_size=48, vocab_size=96,
                   global_attn_every_n_layers=3, local_attention=128, global_rope_theta=10000.0,
                   local_rope_theta=10000.0),
    # 5 layers, global every 2nd, a ±16 window, head dim 24 (scale not a power of two), θ 160k global / 10k local
    "l5_h48": dict(num_hidden_layers=5, hidden_size=48, num_attention_heads=2, intermediate_size=64, vocab_size=120,
                   global_attn_every_n_layers=2, local_attention=32, global_rope_theta=160000.0,
                   local_rope_theta=10000.0),
}
PAD, CLS, SEP, MASK = 3, 1, 2, 4
ROW_LENGTHS = [260, 150, 40]
PACKED_DOCS = [150, 70, 45]
PACKED_LENGTH = 290  # 25 padding tokens after the documents


def randomise(model, generator):
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("norm.weight"):
                p.copy_(1.0 + 0.2 * torch.randn(p.shape, generator=generator))
            elif name == "decoder.bias":
                p.copy_(0.5 * torch.randn(p.shape, generator=generator))
            elif "tok_embeddings" in name:
                p.copy_(torch.randn(p.shape, generator=generator))
            else:
                p.copy_(torch.randn(p.shape, generator=generator) / p.shape[1] ** 0.5)


def document(length, vocab, generator):
    ids = torch.randint(5, vocab, (length,), generator=generator)
    ids[0], ids[-1] = CLS, SEP
    return ids


WORDS = ("the a of to and in is was for on that with as by it at from his an were are which this be has or had "
         "not but first one their its new after who they have her she two been other when there all during into "
         "school time may years more most only over city some world would where later up such used many can "
         "state about national out known university united then made "
         "no three if what him between he also under while second so team war both").split()
assert len(WORDS) == 91  # ids 5..95: the whole l4_h32 vocabulary
FILL_MASK_TEXTS = ["the city [MASK] new", "[MASK] is the first school", "she was [MASK] at the [MASK] university"]


def word_tokenizer(out_dir):
    """Word-level tokenizer: [UNK] [CLS] [SEP] [PAD] [MASK] = 0..4, then WORDS; [CLS] $A [SEP] template."""
    specials = ["[UNK]", "[CLS]", "[SEP]", "[PAD]", "[MASK]"]
    vocab = {t: i for i, t in enumerate(specials + WORDS)}
    tok = Tokenizer(models.WordLevel(vocab=vocab, unk_token="[UNK]"))
    tok.normalizer = normalizers.NFC()
    tok.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1", special_tokens=[("[CLS]", CLS), ("[SEP]", SEP)])
    tok.add_special_tokens(specials)
    os.makedirs(out_dir, exist_ok=True)
    tok.save(os.path.join(out_dir, "tokenizer.json"))
    return PreTrainedTokenizerFast(tokenizer_object=tok, unk_token="[UNK]", cls_token="[CLS]", sep_token="[SEP]",
                                   pad_token="[PAD]", mask_token="[MASK]")


def fill_mask_expectations(model, tokenizer, path):
    fill = pipeline("fill-mask", model=model, tokenizer=tokenizer, top_k=5)
    expected = []
    for text in FILL_MASK_TEXTS:
        ids = tokenizer(text)["input_ids"]
        positions = [i for i, t in enumerate(ids) if t == MASK]
        out = fill(text)
        out = [out] if len(positions) == 1 else out
        expected.append({"text": text, "masks": [
            {"position": pos, "predictions": [{"token": p["token_str"], "id": p["token"], "score": p["score"]}
                                              for p in preds]} for pos, preds in zip(positions, out)]})
    with open(path, "w") as f:
        json.dump(expected, f, indent=1)


def main():
    tokenizer = word_tokenizer(os.path.join(ROOT, "tokenizer"))
    for size, kwargs in SIZES.items():
        generator = torch.Generator().manual_seed(1234 + len(size))
        config = ModernBertConfig(pad_token_id=PAD, bos_token_id=CLS, eos_token_id=SEP, cls_token_id=CLS,
                                  sep_token_id=SEP, attn_implementation="eager", **kwargs)
        model = ModernBertForMaskedLM(config)
        randomise(model, generator)
        model.eval()
        out_dir = os.path.join(ROOT, size)
        os.makedirs(out_dir, exist_ok=True)
        model.save_pretrained(out_dir)
        vocab = config.vocab_size

        # padded batch
        longest = max(ROW_LENGTHS)
        ids = torch.full((len(ROW_LENGTHS), longest), PAD, dtype=torch.long)
        attention = torch.zeros_like(ids)
        for r, length in enumerate(ROW_LENGTHS):
            ids[r, :length] = document(length, vocab, generator)
            attention[r, :length] = 1
        labels = torch.full_like(ids, -100)
        chosen = (torch.rand(ids.shape, generator=generator) < 0.3) & (attention == 1)
        labels[chosen] = ids[chosen]
        masked_ids = ids.clone()
        masked_ids[chosen & (torch.rand(ids.shape, generator=generator) < 0.8)] = MASK
        masked_ids[0, 17] = PAD  # the pad id inside a document: its lookup must not train the pad row

        with torch.no_grad():
            padded_logits = model(input_ids=masked_ids, attention_mask=attention).logits

        # packed row: documents back to back, then padding; expected = each document alone
        docs = [document(n, vocab, generator) for n in PACKED_DOCS]
        packed = torch.full((PACKED_LENGTH,), PAD, dtype=torch.long)
        packed[:sum(PACKED_DOCS)] = torch.cat(docs)
        with torch.no_grad():
            packed_logits = torch.cat([model(input_ids=d[None]).logits[0] for d in docs])

        # loss and gradients, training mode (all dropouts are 0 in this config)
        model.train()
        loss = model(input_ids=masked_ids, attention_mask=attention, labels=labels).loss
        loss.backward()
        params = dict(model.named_parameters())
        grads = {f"grad.{k}": params[k].grad.detach().clone() for k in GRAD_KEYS}

        save_file({"padded_ids": masked_ids, "padded_attention_mask": attention, "padded_labels": labels,
                   "packed_ids": packed[None], "packed_doc_lengths": torch.tensor([PACKED_DOCS])},
                  os.path.join(out_dir, "inputs.safetensors"))
        save_file({"padded_logits": padded_logits.contiguous(), "packed_logits": packed_logits.contiguous(),
                   "loss": loss.detach().reshape(()), **grads},
                  os.path.join(out_dir, "expected.safetensors"))
        if size == "l4_h32":
            model.eval()
            fill_mask_expectations(model, tokenizer, os.path.join(out_dir, "fill_mask.json"))
        print(size, json.dumps({k: v for k, v in kwargs.items()}), "loss", round(loss.item(), 5))


if __name__ == "__main__":
    main()
