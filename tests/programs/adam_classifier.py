"""A classifier trained with Adam, gradient clipping and a step learning-rate schedule."""

import torch
import torch.nn.functional as F
from torch import nn

KIND = "training"
INPUTS = {
    "x": {"shape": [12, 6]},
    "labels": {"shape": [12], "dtype": "int64", "dist": "int", "low": 0, "high": 3},
}


def build() -> nn.Module:
    return nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 3))


def run(model: nn.Module, x: torch.Tensor, labels: torch.Tensor) -> dict[str, object]:
    model.train()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.5)
    losses = []
    for _ in range(4):
        optimizer.zero_grad()
        loss = F.cross_entropy(model(x), labels)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
        optimizer.step()
        scheduler.step()
        losses.append(loss.item())
    return {"losses": losses}
