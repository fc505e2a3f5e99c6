"""Every common activation applied to the same tensor, as modules and as functions."""

import torch
import torch.nn.functional as F
from torch import nn

KIND = "model"
INPUTS = {"x": {"shape": [4, 6], "dist": "uniform", "low": -3.0, "high": 3.0}}


class Activations(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.acts = nn.ModuleDict(
            {
                "relu": nn.ReLU(),
                "leaky": nn.LeakyReLU(0.2),
                "elu": nn.ELU(),
                "gelu": nn.GELU(),
                "silu": nn.SiLU(),
                "mish": nn.Mish(),
                "softplus": nn.Softplus(),
                "hardswish": nn.Hardswish(),
                "sigmoid": nn.Sigmoid(),
                "tanh": nn.Tanh(),
                "relu6": nn.ReLU6(),
            }
        )

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        return {name: act(x) for name, act in self.acts.items()}


def build() -> nn.Module:
    return Activations()


def run(model: nn.Module, x: torch.Tensor) -> dict[str, torch.Tensor]:
    out = model(x)
    out["gelu_tanh"] = F.gelu(x, approximate="tanh")
    out["softmax"] = F.softmax(x, dim=-1)
    out["hardtanh"] = F.hardtanh(x, -1.0, 1.0)
    return out
