"""Batch-norm running statistics after forward passes in training mode, then evaluation."""

import torch
from torch import nn

KIND = "training"
INPUTS = {"x": {"shape": [8, 4]}}


def build() -> nn.Module:
    return nn.BatchNorm1d(4, momentum=0.2)


def run(model: nn.Module, x: torch.Tensor) -> dict[str, torch.Tensor]:
    model.train()
    for shift in (0.0, 1.0, 2.0):
        model(x + shift)
    model.eval()
    return {"mean": model.running_mean.clone(), "var": model.running_var.clone(), "out": model(x)}
