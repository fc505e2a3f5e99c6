"""A multilayer perceptron with a configurable depth held in an nn.ModuleList."""

import itertools

import torch
import torch.nn.functional as F
from torch import nn

KIND = "model"
INPUTS = {"features": {"shape": [8, 20]}}


class MLP(nn.Module):
    def __init__(self, sizes: list[int], dropout: float = 0.1) -> None:
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(a, b) for a, b in itertools.pairwise(sizes)])
        self.dropout = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for layer in self.layers[:-1]:
            x = self.dropout(F.relu(layer(x)))
        return self.layers[-1](x)


def build() -> nn.Module:
    return MLP([20, 64, 32, 5])


def run(model: nn.Module, features: torch.Tensor) -> dict[str, torch.Tensor]:
    logits = model(features)
    return {"logits": logits, "log_probs": F.log_softmax(logits, dim=1)}
