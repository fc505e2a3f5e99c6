"""Model for the weights suite: conv without bias, then batch norm."""

import torch
import torch.nn as nn

INPUT_SHAPE = (2, 3, 6, 6)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(4)

    def forward(self, x):
        return self.bn(self.conv(x))
