"""A top-2 mixture-of-experts layer: a softmax router, top-k selection and weighted experts."""

import torch
from torch import nn

KIND = "model"
INPUTS = {"x": {"shape": [6, 8]}}


class MoE(nn.Module):
    def __init__(self, dim: int = 8, experts: int = 4, k: int = 2) -> None:
        super().__init__()
        self.k = k
        self.router = nn.Linear(dim, experts, bias=False)
        self.experts = nn.ModuleList([nn.Linear(dim, dim) for _ in range(experts)])

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        probs = torch.softmax(self.router(x), dim=-1)
        weights, chosen = torch.topk(probs, self.k, dim=-1)
        weights = weights / weights.sum(dim=-1, keepdim=True)
        every = torch.stack([expert(x) for expert in self.experts], dim=1)
        picked = torch.gather(every, 1, chosen.unsqueeze(-1).expand(-1, -1, x.shape[-1]))
        return (picked * weights.unsqueeze(-1)).sum(dim=1), chosen


def build() -> nn.Module:
    return MoE()


def run(model: nn.Module, x: torch.Tensor) -> dict[str, torch.Tensor]:
    out, chosen = model(x)
    return {"out": out, "chosen": chosen}
