"""Save a model's state_dict to a file, load it into a fresh model and compare the outputs."""

import os
import tempfile

import torch
from torch import nn

KIND = "checkpoint"
INPUTS = {"x": {"shape": [3, 6]}}


def make_model() -> nn.Module:
    return nn.Sequential(nn.Linear(6, 8), nn.Tanh(), nn.Linear(8, 2))


def build() -> nn.Module:
    return make_model()


def run(model: nn.Module, x: torch.Tensor) -> dict[str, torch.Tensor]:
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "model.pt")
        torch.save(model.state_dict(), path)
        restored = make_model()
        restored.load_state_dict(torch.load(path))
    return {"before": model(x), "after": restored(x)}
