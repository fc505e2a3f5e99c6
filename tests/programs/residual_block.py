"""A ResNet basic block: two 3x3 convolutions with batch norm and an identity shortcut."""

import torch
import torch.nn.functional as F
from torch import nn

KIND = "model"
INPUTS = {"x": {"shape": [2, 8, 12, 12]}}


class BasicBlock(nn.Module):
    def __init__(self, channels: int) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(channels, channels, kernel_size=3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(channels)
        self.conv2 = nn.Conv2d(channels, channels, kernel_size=3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + x)


def build() -> nn.Module:
    return BasicBlock(8)


def run(model: nn.Module, x: torch.Tensor) -> dict[str, torch.Tensor]:
    y = model(x)
    return {"y": y, "pooled": y.mean(dim=(2, 3))}
