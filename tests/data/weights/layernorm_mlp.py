"""Model for the weights suite: a pre-norm MLP block."""

import torch
import torch.nn as nn

INPUT_SHAPE = (2, 3, 8)


class Net(nn.Module):
    def __init__(self, dim=8):
        super().__init__()
        self.norm = nn.LayerNorm(dim)
        self.fc1 = nn.Linear(dim, dim * 4)
        self.fc2 = nn.Linear(dim * 4, dim)

    def forward(self, x):
        return x + self.fc2(torch.relu(self.fc1(self.norm(x))))
