"""Test-time augmentation: average a model's predictions over flipped copies of the images."""

import torch
from torch import nn

KIND = "inference"
INPUTS = {"images": {"shape": [2, 3, 8, 8]}}


def build() -> nn.Module:
    return nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.ReLU(), nn.Conv2d(4, 1, 1))


@torch.no_grad()
def run(model: nn.Module, images: torch.Tensor) -> dict[str, torch.Tensor]:
    views = [images, torch.flip(images, dims=[3]), torch.flip(images, dims=[2])]
    outs = [
        model(views[0]),
        torch.flip(model(views[1]), dims=[3]),
        torch.flip(model(views[2]), dims=[2]),
    ]
    mean = torch.stack(outs).mean(dim=0)
    return {"mean": mean, "spread": torch.stack(outs).std(dim=0)}
