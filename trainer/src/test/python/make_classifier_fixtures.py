#!/usr/bin/env python3
"""Makes the classifier parity fixtures under trainer/src/test/resources/classifier/ with transformers'
ModernBertForSequenceClassification.

Run from the repository root:  $(.ci/python-env.sh) trainer/src/test/python/make_classifier_fixtures.py
(transformers 5.18.0, torch 2.13 CPU were used for the committed files.)

Each case is a random-initialised classifier (weights drawn wide enough that every block matters) saved with
save_pretrained (config.json with id2label / problem_type / classifier_pooling, model.safetensors), and the
expected outputs of the eager fp32 model in expected.safetensors:
  logits     [3, labels]  a right-padded batch of three rows (attention mask), one longer than the local window
  loss       []           transformers' loss for labels (cross-entropy, or MSE for the regression)
  grad.<name>             gradients of that loss for a few parameters
inputs.safetensors holds the ids, the attention mask and the labels.
"""
import json
import os
import sys

import torch
from safetensors.torch import save_file
from transformers import ModernBertConfig, ModernBertForSequenceClassification

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_parity_fixtures import CLS, PAD, SEP, SIZES, document, randomise  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "classifier")
GRAD_KEYS = ["classifier.weight", "classifier.bias", "head.dense.weight", "model.layers.1.attn.Wqkv.weight",
             "model.embeddings.tok_embeddings.weight"]
ROW_LENGTHS = [170, 61, 9]
CASES = {
    # three string labels, [CLS] pooling (transformers' default), 4 layers with ModernBERT's window
    "cls_3labels": dict(size="l4_h32", pooling="cls", id2label={0: "negative", 1: "neutral", 2: "positive"},
                        problem_type="single_label_classification", labels=[2, 0, 1]),
    # a regression with mean pooling over real tokens, 5 layers, a ±16 window
    "mean_regression": dict(size="l5_h48", pooling="mean", id2label={0: "LABEL_0"}, problem_type="regression",
                            labels=[0.25, -1.5, 3.0]),
}


def main():
    for name, case in CASES.items():
        generator = torch.Generator().manual_seed(4321 + len(name))
        config = ModernBertConfig(pad_token_id=PAD, bos_token_id=CLS, eos_token_id=SEP, cls_token_id=CLS,
                                  sep_token_id=SEP, attn_implementation="eager", classifier_pooling=case["pooling"],
                                  id2label=case["id2label"], label2id={v: k for k, v in case["id2label"].items()},
                                  problem_type=case["problem_type"], **SIZES[case["size"]])
        model = ModernBertForSequenceClassification(config)
        bias = model.classifier.bias
        model.classifier.bias = None  # randomise() draws matrices and norm weights; the bias is drawn here
        randomise(model, generator)
        model.classifier.bias = bias
        with torch.no_grad():
            bias.copy_(0.3 * torch.randn(bias.shape, generator=generator))
        out_dir = os.path.join(ROOT, name)
        os.makedirs(out_dir, exist_ok=True)
        model.save_pretrained(out_dir)

        longest = max(ROW_LENGTHS)
        ids = torch.full((len(ROW_LENGTHS), longest), PAD, dtype=torch.long)
        attention = torch.zeros_like(ids)
        for r, length in enumerate(ROW_LENGTHS):
            ids[r, :length] = document(length, config.vocab_size, generator)
            attention[r, :length] = 1
        regression = case["problem_type"] == "regression"
        labels = torch.tensor(case["labels"], dtype=torch.float32 if regression else torch.long)

        model.eval()
        with torch.no_grad():
            logits = model(input_ids=ids, attention_mask=attention).logits
        model.train()  # every dropout of this config is 0
        loss = model(input_ids=ids, attention_mask=attention, labels=labels).loss
        loss.backward()
        params = dict(model.named_parameters())
        grads = {f"grad.{k}": params[k].grad.detach().clone() for k in GRAD_KEYS}
        save_file({"ids": ids, "attention_mask": attention, "labels": labels.to(torch.float32)},
                  os.path.join(out_dir, "inputs.safetensors"))
        save_file({"logits": logits.contiguous(), "loss": loss.detach().reshape(()), **grads},
                  os.path.join(out_dir, "expected.safetensors"))
        print(name, json.dumps({k: v for k, v in case.items() if k != "id2label"}), "loss", round(loss.item(), 5))


if __name__ == "__main__":
    main()
