"""Model for the weights suite: an embedding + LSTM tagger."""

import torch
import torch.nn as nn

INPUT_SHAPE = (2, 6)
DTYPE = "int"

class Net(nn.Module):
    def __init__(self, vocab=20, dim=8, tags=5):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim)
        self.rnn = nn.LSTM(dim, dim, batch_first=True)
        self.out = nn.Linear(dim, tags)

    def forward(self, tokens):
        out, _ = self.rnn(self.embed(tokens))
        return self.out(out)
