"""A squeeze-and-excitation channel gate applied to a feature map."""

import torch
from torch import nn

KIND = "model"
INPUTS = {"x": {"shape": [2, 16, 7, 7]}}


class SqueezeExcite(nn.Module):
    def __init__(self, channels: int, reduction: int = 4) -> None:
        super().__init__()
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc1 = nn.Linear(channels, channels // reduction)
        self.fc2 = nn.Linear(channels // reduction, channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, c = x.shape[0], x.shape[1]
        w = self.pool(x).view(b, c)
        w = torch.sigmoid(self.fc2(torch.relu(self.fc1(w))))
        return x * w.view(b, c, 1, 1)


def build() -> nn.Module:
    return SqueezeExcite(16)


def run(model: nn.Module, x: torch.Tensor) -> dict[str, torch.Tensor]:
    return {"gated": model(x)}
