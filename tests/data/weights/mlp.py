"""Model for the weights suite: a two-layer perceptron."""

import torch
import torch.nn as nn

INPUT_SHAPE = (2, 8)


class Net(nn.Module):
    def __init__(self, hidden=16):
        super().__init__()
        self.fc1 = nn.Linear(8, hidden)
        self.fc2 = nn.Linear(hidden, 3)

    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(x)))
