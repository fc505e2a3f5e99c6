"""Model for the weights suite: an MLP with BatchNorm1d."""

import torch
import torch.nn as nn

INPUT_SHAPE = (4, 8)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 6)
        self.bn = nn.BatchNorm1d(6)
        self.out = nn.Linear(6, 2)

    def forward(self, x):
        return self.out(torch.relu(self.bn(self.fc(x))))
