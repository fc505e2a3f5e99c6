"""A focal loss for imbalanced binary detection, written as a module."""

import torch
import torch.nn.functional as F
from torch import nn

KIND = "loss"
INPUTS = {
    "logits": {"shape": [8, 5]},
    "targets": {"shape": [8, 5], "dist": "int", "low": 0, "high": 2},
}


class FocalLoss(nn.Module):
    def __init__(self, alpha: float = 0.25, gamma: float = 2.0) -> None:
        super().__init__()
        self.alpha = alpha
        self.gamma = gamma

    def forward(self, logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        p = torch.sigmoid(logits)
        ce = F.binary_cross_entropy_with_logits(logits, targets, reduction="none")
        p_t = p * targets + (1 - p) * (1 - targets)
        alpha_t = self.alpha * targets + (1 - self.alpha) * (1 - targets)
        return (alpha_t * ce * (1 - p_t) ** self.gamma).mean()


def build() -> nn.Module:
    return FocalLoss()


def run(model: nn.Module, logits: torch.Tensor, targets: torch.Tensor) -> dict[str, torch.Tensor]:
    return {"loss": model(logits, targets)}
