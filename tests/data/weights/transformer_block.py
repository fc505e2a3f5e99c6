"""Model for the weights suite: a transformer block (attention and feed-forward, layer norms)."""

import torch
import torch.nn as nn

INPUT_SHAPE = (2, 5, 8)


class Attention(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.qkv = nn.Linear(dim, dim * 3)
        self.out = nn.Linear(dim, dim)
        self.dim = dim

    def forward(self, x):
        q, k, v = torch.split(self.qkv(x), self.dim, dim=-1)
        weights = torch.softmax(torch.matmul(q, k.transpose(1, 2)) / self.dim ** 0.5, dim=-1)
        return self.out(torch.matmul(weights, v))


class Net(nn.Module):
    def __init__(self, dim=8):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.attn = Attention(dim)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim))

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))
