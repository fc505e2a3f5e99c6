"""The normalisation layers side by side: batch, layer, group and instance norm."""

import torch
from torch import nn

KIND = "model"
INPUTS = {"x": {"shape": [4, 8, 6, 6]}, "seq": {"shape": [4, 10, 8]}}


class Norms(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.batch = nn.BatchNorm2d(8)
        self.group = nn.GroupNorm(4, 8)
        self.instance = nn.InstanceNorm2d(8, affine=True)
        self.layer = nn.LayerNorm(8)
        self.batch1d = nn.BatchNorm1d(10)

    def forward(self, x: torch.Tensor, seq: torch.Tensor) -> dict[str, torch.Tensor]:
        return {
            "batch": self.batch(x),
            "group": self.group(x),
            "instance": self.instance(x),
            "layer": self.layer(seq),
            "batch1d": self.batch1d(seq),
        }


def build() -> nn.Module:
    return Norms()


def run(model: nn.Module, x: torch.Tensor, seq: torch.Tensor) -> dict[str, torch.Tensor]:
    return model(x, seq)
