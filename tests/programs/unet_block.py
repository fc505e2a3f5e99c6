"""One U-Net level: double convolution, max-pool down, transposed-convolution up, skip concat."""

import torch
from torch import nn

KIND = "model"
INPUTS = {"x": {"shape": [1, 4, 16, 16]}}


class DoubleConv(nn.Module):
    def __init__(self, cin: int, cout: int) -> None:
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(cin, cout, 3, padding=1),
            nn.ReLU(inplace=True),
            nn.Conv2d(cout, cout, 3, padding=1),
            nn.ReLU(inplace=True),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.body(x)


class UNetLevel(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.down = DoubleConv(4, 8)
        self.pool = nn.MaxPool2d(2)
        self.bottom = DoubleConv(8, 16)
        self.up = nn.ConvTranspose2d(16, 8, kernel_size=2, stride=2)
        self.merge = DoubleConv(16, 8)
        self.out = nn.Conv2d(8, 2, kernel_size=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        skip = self.down(x)
        deep = self.bottom(self.pool(skip))
        merged = self.merge(torch.cat([self.up(deep), skip], dim=1))
        return self.out(merged)


def build() -> nn.Module:
    return UNetLevel()


def run(model: nn.Module, x: torch.Tensor) -> dict[str, torch.Tensor]:
    return {"mask_logits": model(x)}
