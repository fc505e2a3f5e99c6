"""A MobileNet-style depthwise separable convolution block with ReLU6."""

import torch
from torch import nn

KIND = "model"
INPUTS = {"x": {"shape": [2, 6, 10, 10]}}


class DepthwiseSeparable(nn.Module):
    def __init__(self, cin: int, cout: int, stride: int = 1) -> None:
        super().__init__()
        self.depthwise = nn.Conv2d(cin, cin, 3, stride=stride, padding=1, groups=cin, bias=False)
        self.bn1 = nn.BatchNorm2d(cin)
        self.pointwise = nn.Conv2d(cin, cout, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.act = nn.ReLU6()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.act(self.bn1(self.depthwise(x)))
        return self.act(self.bn2(self.pointwise(x)))


def build() -> nn.Module:
    return DepthwiseSeparable(6, 12, stride=2)


def run(model: nn.Module, x: torch.Tensor) -> dict[str, torch.Tensor]:
    return {"y": model(x)}
