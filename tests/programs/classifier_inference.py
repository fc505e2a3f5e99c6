"""An inference script: evaluation mode, no gradients, softmax probabilities and predicted classes."""

import torch
from torch import nn

KIND = "inference"
INPUTS = {"batch": {"shape": [5, 12]}}


class Net(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.body = nn.Sequential(nn.Linear(12, 24), nn.ReLU(), nn.Dropout(0.5), nn.Linear(24, 3))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.body(x)


def build() -> nn.Module:
    return Net()


def predict(model: nn.Module, batch: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    model.eval()
    with torch.no_grad():
        probs = torch.softmax(model(batch), dim=1)
    confidence, labels = probs.max(dim=1)
    return confidence, labels


def run(model: nn.Module, batch: torch.Tensor) -> dict[str, torch.Tensor]:
    confidence, labels = predict(model, batch)
    return {"confidence": confidence, "labels": labels}
