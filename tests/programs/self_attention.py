"""Multi-head scaled dot-product self-attention written by hand, with a padding mask."""

import math

import torch
from torch import nn

KIND = "model"
INPUTS = {
    "tokens": {"shape": [2, 6, 16]},
    "keep": {"shape": [2, 6], "dtype": "bool", "values": [[1, 1, 1, 1, 0, 0], [1, 1, 1, 1, 1, 1]]},
}


class SelfAttention(nn.Module):
    def __init__(self, dim: int, heads: int) -> None:
        super().__init__()
        self.heads = heads
        self.head_dim = dim // heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x: torch.Tensor, keep: torch.Tensor) -> torch.Tensor:
        batch, length, dim = x.shape
        qkv = self.qkv(x).reshape(batch, length, 3, self.heads, self.head_dim)
        q, k, v = qkv.permute(2, 0, 3, 1, 4).unbind(0)
        scores = torch.matmul(q, k.transpose(-2, -1)) / math.sqrt(self.head_dim)
        scores = scores.masked_fill(~keep[:, None, None, :], float("-inf"))
        weights = torch.softmax(scores, dim=-1)
        out = torch.matmul(weights, v).transpose(1, 2).reshape(batch, length, dim)
        return self.proj(out)


def build() -> nn.Module:
    return SelfAttention(16, 4)


def run(model: nn.Module, tokens: torch.Tensor, keep: torch.Tensor) -> dict[str, torch.Tensor]:
    return {"out": model(tokens, keep)}
