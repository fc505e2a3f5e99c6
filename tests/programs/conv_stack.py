"""A small image classifier built with nn.Sequential: conv, batch norm, pooling, linear head."""

import torch
from torch import nn

KIND = "model"
INPUTS = {"images": {"shape": [4, 3, 16, 16]}}


def make_classifier(num_classes: int = 10) -> nn.Module:
    return nn.Sequential(
        nn.Conv2d(3, 16, 3, padding=1),
        nn.BatchNorm2d(16),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1),
        nn.BatchNorm2d(32),
        nn.ReLU(),
        nn.AdaptiveAvgPool2d(1),
        nn.Flatten(),
        nn.Linear(32, num_classes),
    )


def build() -> nn.Module:
    return make_classifier()


def run(model: nn.Module, images: torch.Tensor) -> dict[str, torch.Tensor]:
    logits = model(images)
    return {"logits": logits, "probs": torch.softmax(logits, dim=-1)}
