"""A bidirectional two-layer GRU sentence encoder with mean pooling over time."""

import torch
from torch import nn

KIND = "model"
INPUTS = {"x": {"shape": [2, 9, 10]}}
TOLERANCE = {"rtol": 1e-4, "atol": 1e-5, "why": "recurrent gates accumulate over nine steps"}


class Encoder(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.gru = nn.GRU(10, 8, num_layers=2, batch_first=True, bidirectional=True)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        states, last = self.gru(x)
        return states.mean(dim=1), last


def build() -> nn.Module:
    return Encoder()


def run(model: nn.Module, x: torch.Tensor) -> dict[str, torch.Tensor]:
    pooled, last = model(x)
    return {"pooled": pooled, "last": last}
