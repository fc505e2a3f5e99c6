"""A convolutional sentence classifier: embeddings, Conv1d filters of three widths, max over time."""

import torch
import torch.nn.functional as F
from torch import nn

KIND = "model"
INPUTS = {"ids": {"shape": [4, 12], "dtype": "int64", "dist": "int", "low": 1, "high": 40}}


class TextCNN(nn.Module):
    def __init__(self, vocab: int = 40, dim: int = 16, filters: int = 8) -> None:
        super().__init__()
        self.embed = nn.Embedding(vocab, dim, padding_idx=0)
        self.convs = nn.ModuleList([nn.Conv1d(dim, filters, k) for k in (2, 3, 4)])
        self.fc = nn.Linear(3 * filters, 2)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        x = self.embed(ids).permute(0, 2, 1)
        pooled = [F.relu(conv(x)).max(dim=2)[0] for conv in self.convs]
        return self.fc(torch.cat(pooled, dim=1))


def build() -> nn.Module:
    return TextCNN()


def run(model: nn.Module, ids: torch.Tensor) -> dict[str, torch.Tensor]:
    return {"logits": model(ids)}
