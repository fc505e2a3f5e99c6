"""Model for the weights suite: a bottleneck block with a projection shortcut."""

import torch
import torch.nn as nn

INPUT_SHAPE = (2, 4, 6, 6)


class Net(nn.Module):
    def __init__(self, inp=4, mid=2, out=8):
        super().__init__()
        self.reduce = nn.Conv2d(inp, mid, 1)
        self.conv = nn.Conv2d(mid, mid, 3, padding=1)
        self.expand = nn.Conv2d(mid, out, 1)
        self.shortcut = nn.Sequential(nn.Conv2d(inp, out, 1, bias=False), nn.BatchNorm2d(out))

    def forward(self, x):
        y = self.expand(torch.relu(self.conv(torch.relu(self.reduce(x)))))
        return torch.relu(y + self.shortcut(x))
