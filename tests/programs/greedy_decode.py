"""Greedy autoregressive decoding with a GRU cell: argmax tokens fed back for a fixed length."""

import torch
from torch import nn

KIND = "inference"
INPUTS = {"context": {"shape": [2, 16]}}


class Decoder(nn.Module):
    def __init__(self, vocab: int = 11, dim: int = 16) -> None:
        super().__init__()
        self.embed = nn.Embedding(vocab, dim)
        self.cell = nn.GRUCell(dim, dim)
        self.out = nn.Linear(dim, vocab)

    def forward(self, context: torch.Tensor, steps: int = 5) -> torch.Tensor:
        token = torch.zeros(context.shape[0], dtype=torch.long)
        hidden = context
        tokens = []
        for _ in range(steps):
            hidden = self.cell(self.embed(token), hidden)
            token = self.out(hidden).argmax(dim=-1)
            tokens.append(token)
        return torch.stack(tokens, dim=1)


def build() -> nn.Module:
    return Decoder()


def run(model: nn.Module, context: torch.Tensor) -> dict[str, torch.Tensor]:
    with torch.no_grad():
        return {"tokens": model(context)}
