"""Regression losses between predictions and targets: MSE, L1, smooth L1 and Huber."""

import torch
from torch import nn

KIND = "loss"
INPUTS = {"pred": {"shape": [5, 3]}, "target": {"shape": [5, 3]}}


def run(pred: torch.Tensor, target: torch.Tensor) -> dict[str, torch.Tensor]:
    return {
        "mse": nn.MSELoss()(pred, target),
        "mse_none": nn.MSELoss(reduction="none")(pred, target),
        "l1": nn.L1Loss()(pred, target),
        "smooth_l1": nn.SmoothL1Loss(beta=0.5)(pred, target),
        "huber": nn.HuberLoss(delta=0.8)(pred, target),
        "rmse": torch.sqrt(torch.mean((pred - target) ** 2)),
    }
