"""A pre-norm transformer encoder block: layer norm, nn.MultiheadAttention, GELU feed-forward."""

import torch
from torch import nn

KIND = "model"
INPUTS = {"x": {"shape": [2, 5, 32]}}
TOLERANCE = {"rtol": 1e-4, "atol": 1e-5, "why": "two matmul chains accumulate in other orders"}


class EncoderBlock(nn.Module):
    def __init__(self, dim: int = 32, heads: int = 4, hidden: int = 64) -> None:
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.norm2 = nn.LayerNorm(dim)
        self.ff = nn.Sequential(nn.Linear(dim, hidden), nn.GELU(), nn.Linear(hidden, dim))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.norm1(x)
        attended, _ = self.attn(h, h, h, need_weights=False)
        x = x + attended
        return x + self.ff(self.norm2(x))


def build() -> nn.Module:
    return EncoderBlock()


def run(model: nn.Module, x: torch.Tensor) -> dict[str, torch.Tensor]:
    return {"out": model(x)}
