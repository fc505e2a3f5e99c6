"""Gradients of a scalar function with torch.autograd.grad (an input-saliency utility)."""

import torch

KIND = "training"
INPUTS = {"x": {"shape": [4, 3]}}


def run(x: torch.Tensor) -> dict[str, torch.Tensor]:
    x = x.clone().requires_grad_(True)
    energy = (x.sin() * x).sum()
    (grad,) = torch.autograd.grad(energy, x)
    return {"energy": energy.detach(), "saliency": grad.abs()}
