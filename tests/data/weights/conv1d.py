"""Model for the weights suite: 1-d convolutions over a sequence."""

import torch
import torch.nn as nn

INPUT_SHAPE = (2, 3, 10)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv1d(3, 5, 3)
        self.conv2 = nn.Conv1d(5, 4, 3)

    def forward(self, x):
        return self.conv2(torch.relu(self.conv1(x)))
