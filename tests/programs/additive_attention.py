"""Bahdanau-style additive attention over encoder states, with batched matrix products."""

import torch
from torch import nn

KIND = "model"
INPUTS = {"query": {"shape": [3, 10]}, "states": {"shape": [3, 7, 12]}}


class AdditiveAttention(nn.Module):
    def __init__(self, query_dim: int, state_dim: int, hidden: int) -> None:
        super().__init__()
        self.w_query = nn.Linear(query_dim, hidden, bias=False)
        self.w_state = nn.Linear(state_dim, hidden, bias=False)
        self.v = nn.Linear(hidden, 1, bias=False)

    def forward(
        self, query: torch.Tensor, states: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        energy = torch.tanh(self.w_query(query).unsqueeze(1) + self.w_state(states))
        scores = self.v(energy).squeeze(-1)
        weights = torch.softmax(scores, dim=1)
        context = torch.bmm(weights.unsqueeze(1), states).squeeze(1)
        return context, weights


def build() -> nn.Module:
    return AdditiveAttention(10, 12, 9)


def run(model: nn.Module, query: torch.Tensor, states: torch.Tensor) -> dict[str, torch.Tensor]:
    context, weights = model(query, states)
    return {"context": context, "weights": weights}
