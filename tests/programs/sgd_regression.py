"""Linear regression trained for a few SGD steps with mean squared error."""

import torch
from torch import nn

KIND = "training"
INPUTS = {"x": {"shape": [16, 3]}, "y": {"shape": [16, 1]}}


def build() -> nn.Module:
    return nn.Linear(3, 1)


def run(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> dict[str, object]:
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    loss_fn = nn.MSELoss()
    losses = []
    for _ in range(5):
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return {"losses": losses, "weight": model.weight.detach()}
