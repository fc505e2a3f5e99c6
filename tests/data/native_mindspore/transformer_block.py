"""A transformer block written for MindSpore 2.10 with the mint API (no torch anywhere)."""

import mindspore
from mindspore import mint, nn


class Attention(nn.Cell):
    def __init__(self, dim: int, heads: int) -> None:
        super().__init__()
        self.heads = heads
        self.qkv = mint.nn.Linear(dim, dim * 3)
        self.proj = mint.nn.Linear(dim, dim)
        self.norm = mint.nn.LayerNorm(dim)
        self.dropout = mint.nn.Dropout(p=0.1)

    def construct(self, x: mindspore.Tensor) -> mindspore.Tensor:
        b, n, c = x.shape
        h = self.norm(x)
        q, k, v = mint.chunk(self.qkv(h), 3, dim=-1)
        q = q.reshape(b, n, self.heads, c // self.heads).transpose(1, 2)
        k = k.reshape(b, n, self.heads, c // self.heads).transpose(1, 2)
        v = v.reshape(b, n, self.heads, c // self.heads).transpose(1, 2)
        scores = mint.matmul(q, k.transpose(-2, -1)) / (c // self.heads) ** 0.5
        weights = mint.softmax(scores, dim=-1)
        out = mint.matmul(self.dropout(weights), v).transpose(1, 2).reshape(b, n, c)
        return x + self.proj(out)


class FeedForward(nn.Cell):
    def __init__(self, dim: int, hidden: int) -> None:
        super().__init__()
        self.net = nn.SequentialCell(
            mint.nn.LayerNorm((dim,)),
            mint.nn.Linear(dim, hidden),
            mint.nn.GELU(),
            mint.nn.Linear(hidden, dim),
        )

    def construct(self, x: mindspore.Tensor) -> mindspore.Tensor:
        return x + self.net(x)


def top_tokens(logits: mindspore.Tensor, k: int) -> mindspore.Tensor:
    values, indices = mint.sort(logits, dim=-1, descending=True)
    return indices[..., :k]
