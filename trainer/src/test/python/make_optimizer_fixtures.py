"""Writes the optimizer fixtures of the trainer's tests with PyTorch.

Run from the repository root:  $(.ci/python-env.sh) trainer/src/test/python/make_optimizer_fixtures.py

StableAdamW: the per-parameter rule of optimi's `_single_param_stableadamw` with `debias_beta` (optimi/stableadamw.py
and optimi/utils.py; ModernBERT's src/optimizer.py is a fork of it), transcribed below line for line in torch, with
fully decoupled weight decay (decouple_lr=True) as the recipe uses. AdamW: torch.optim.AdamW itself. Clipping:
torch.nn.utils.clip_grad_norm_ itself. Parameters with ndim <= 1 or a name ending in .bias get no weight decay
(ModernBERT's param_groups_weight_decay).

Writes trainer/src/test/resources/optim/{case}.safetensors with tensors `init.NAME`, `grad.STEP.NAME`,
`after.STEP.NAME`, `exp_avg.NAME`, `exp_avg_sq.NAME` (after the last step), and {case}.json with the learning
rates per step and the hyperparameters.
"""
import json
import os

import torch
from safetensors.torch import save_file

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "optim")
SHAPES = {"model.layers.0.attn.Wqkv.weight": (6, 4), "model.final_norm.weight": (4,), "decoder.bias": (5,)}
STEPS = 6
LRS = [1e-3, 8e-4, 8e-4, 5e-4, 5e-4, 2e-4]


def debias_beta(beta, step):
    return (beta**step - beta) / (beta**step - 1)


def stableadamw_step(param, grad, exp_avg, exp_avg_sq, eps_sq, *, lr, beta1, beta2, weight_decay, eps, step,
                     max_lr):
    beta1_comp = 1 - debias_beta(beta1, step)
    beta2_hat = debias_beta(beta2, step)
    beta2_comp = 1 - beta2_hat
    exp_avg.lerp_(grad, weight=beta1_comp)
    exp_avg_sq.mul_(beta2_hat).addcmul_(grad, grad, value=beta2_comp)
    rms = grad.pow(2).div_(exp_avg_sq.maximum(eps_sq)).mean().sqrt()
    lr = lr / max(1, rms.item())
    if weight_decay != 0:
        param.mul_(1 - (lr / max_lr) * weight_decay)
    param.addcdiv_(exp_avg, exp_avg_sq.sqrt().add_(eps), value=-lr)
    return rms.item()


def decays(name, tensor):
    return tensor.ndim >= 2 and not name.endswith(".bias")


def gradients(gen):
    """Gradients whose scale jumps at step 3, so that StableAdamW's RMS clipping engages."""
    grads = []
    for step in range(STEPS):
        scale = 50.0 if step == 3 else 1.0
        grads.append({n: torch.randn(s, generator=gen) * scale for n, s in SHAPES.items()})
    return grads


def stable_case():
    gen = torch.Generator().manual_seed(1)
    init = {n: torch.randn(s, generator=gen) for n, s in SHAPES.items()}
    grads = gradients(gen)
    hp = dict(beta1=0.9, beta2=0.98, eps=1e-6, weight_decay=0.5, max_lr=1e-3)
    params = {n: t.clone() for n, t in init.items()}
    state = {n: (torch.zeros_like(t), torch.zeros_like(t)) for n, t in params.items()}
    tensors = {f"init.{n}": t.clone() for n, t in init.items()}
    rms_by_step = []
    for step in range(STEPS):
        rms_by_step.append({})
        for n, p in params.items():
            g = grads[step][n].clone()
            tensors[f"grad.{step}.{n}"] = grads[step][n].clone()
            m, v = state[n]
            rms_by_step[-1][n] = stableadamw_step(
                p, g, m, v, torch.tensor(hp["eps"] ** 2), lr=LRS[step], beta1=hp["beta1"], beta2=hp["beta2"],
                weight_decay=hp["weight_decay"] if decays(n, p) else 0.0, eps=hp["eps"], step=step + 1,
                max_lr=hp["max_lr"])
            tensors[f"after.{step}.{n}"] = p.clone()
    for n, (m, v) in state.items():
        tensors[f"exp_avg.{n}"] = m.clone()
        tensors[f"exp_avg_sq.{n}"] = v.clone()
    clipped = [r for step in rms_by_step for r in step.values() if r > 1]
    assert clipped, "the fixture must exercise RMS update clipping"
    return tensors, dict(hp, lrs=LRS, steps=STEPS, rms=rms_by_step)


def adamw_case():
    gen = torch.Generator().manual_seed(2)
    init = {n: torch.randn(s, generator=gen) for n, s in SHAPES.items()}
    grads = gradients(gen)
    hp = dict(beta1=0.9, beta2=0.98, eps=1e-6, weight_decay=0.1)
    params = {n: torch.nn.Parameter(t.clone()) for n, t in init.items()}
    groups = [{"params": [p for n, p in params.items() if decays(n, p)], "weight_decay": hp["weight_decay"]},
              {"params": [p for n, p in params.items() if not decays(n, p)], "weight_decay": 0.0}]
    opt = torch.optim.AdamW(groups, lr=LRS[0], betas=(hp["beta1"], hp["beta2"]), eps=hp["eps"], foreach=False)
    tensors = {f"init.{n}": t.clone() for n, t in init.items()}
    for step in range(STEPS):
        for g in opt.param_groups:
            g["lr"] = LRS[step]
        for n, p in params.items():
            p.grad = grads[step][n].clone()
            tensors[f"grad.{step}.{n}"] = grads[step][n].clone()
        opt.step()
        for n, p in params.items():
            tensors[f"after.{step}.{n}"] = p.detach().clone()
    for n, p in params.items():
        tensors[f"exp_avg.{n}"] = opt.state[p]["exp_avg"].clone()
        tensors[f"exp_avg_sq.{n}"] = opt.state[p]["exp_avg_sq"].clone()
    return tensors, dict(hp, lrs=LRS, steps=STEPS)


def clip_case():
    gen = torch.Generator().manual_seed(3)
    params = {n: torch.nn.Parameter(torch.randn(s, generator=gen)) for n, s in SHAPES.items()}
    tensors = {}
    for n, p in params.items():
        p.grad = torch.randn(p.shape, generator=gen) * 3
        tensors[f"grad.{n}"] = p.grad.clone()
    norm = torch.nn.utils.clip_grad_norm_(params.values(), max_norm=2.0)
    for n, p in params.items():
        tensors[f"clipped.{n}"] = p.grad.clone()
    return tensors, dict(max_norm=2.0, norm=norm.item())


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, case in [("stable_adamw", stable_case), ("adamw", adamw_case), ("clip_grad_norm", clip_case)]:
        tensors, meta = case()
        save_file({k: v.contiguous() for k, v in tensors.items()}, os.path.join(OUT, f"{name}.safetensors"))
        with open(os.path.join(OUT, f"{name}.json"), "w") as f:
            json.dump(meta, f, indent=1)


if __name__ == "__main__":
    main()
