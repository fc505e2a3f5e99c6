"""A training checkpoint dictionary (epoch, model and metrics) written and read back."""

import os
import tempfile

import torch
from torch import nn

KIND = "checkpoint"
INPUTS = {"x": {"shape": [2, 4]}}


def build() -> nn.Module:
    return nn.Linear(4, 3)


def save_checkpoint(model: nn.Module, epoch: int, path: str) -> None:
    torch.save({"epoch": epoch, "model": model.state_dict(), "best": 0.5}, path)


def run(model: nn.Module, x: torch.Tensor) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "last.ckpt")
        save_checkpoint(model, 7, path)
        state = torch.load(path)
    fresh = nn.Linear(4, 3)
    fresh.load_state_dict(state["model"])
    return {"epoch": state["epoch"], "out": fresh(x)}
