"""Model for the weights suite: a small U-Net piece (down, up, skip)."""

import torch
import torch.nn as nn

INPUT_SHAPE = (2, 3, 8, 8)


class DoubleConv(nn.Module):
    def __init__(self, inp, out):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(inp, out, 3, padding=1),
            nn.BatchNorm2d(out),
            nn.ReLU(),
            nn.Conv2d(out, out, 3, padding=1),
            nn.BatchNorm2d(out),
            nn.ReLU(),
        )

    def forward(self, x):
        return self.net(x)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.down = DoubleConv(3, 4)
        self.pool = nn.MaxPool2d(2)
        self.bottom = DoubleConv(4, 8)
        self.up = nn.Upsample(scale_factor=2, mode="nearest")
        self.fuse = DoubleConv(12, 4)
        self.head = nn.Conv2d(4, 2, 1)

    def forward(self, x):
        skip = self.down(x)
        y = self.up(self.bottom(self.pool(skip)))
        return self.head(self.fuse(torch.cat([y, skip], dim=1)))
