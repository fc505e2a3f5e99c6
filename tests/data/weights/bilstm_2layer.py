"""Model for the weights suite: a two-layer bidirectional LSTM."""

import torch
import torch.nn as nn

INPUT_SHAPE = (2, 5, 4)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.LSTM(4, 6, num_layers=2, bidirectional=True, batch_first=True)

    def forward(self, x):
        out, _ = self.rnn(x)
        return out
