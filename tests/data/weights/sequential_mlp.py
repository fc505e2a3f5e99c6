"""Model for the weights suite: nn.Sequential with activations and dropout."""

import torch
import torch.nn as nn

INPUT_SHAPE = (2, 8)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.Sequential(nn.Linear(8, 12), nn.GELU(), nn.Dropout(0.1), nn.Linear(12, 4))

    def forward(self, x):
        return self.layers(x)
