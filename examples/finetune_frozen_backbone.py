"""Fine-tune a classifier head on top of a frozen feature extractor.

Porting traps on purpose: parameters frozen with requires_grad=False (MindSpore's flag means
something else), a hand-made nn.Parameter, an SGD optimizer with momentum and nesterov, a
cosine schedule, gradient accumulation and explicit .to(device) moves.
"""

from __future__ import annotations

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn import Parameter


class Backbone(nn.Module):
    def __init__(self, channels: int = 16) -> None:
        super().__init__()
        self.stem = nn.Sequential(
            nn.Conv2d(3, channels, 3, stride=2, padding=1, bias=False),
            nn.BatchNorm2d(channels),
            nn.ReLU(inplace=True),
        )
        self.block = nn.Sequential(
            nn.Conv2d(channels, channels, 3, padding=1, bias=False),
            nn.BatchNorm2d(channels),
        )
        self.pool = nn.AdaptiveAvgPool2d(1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.stem(x)
        x = F.relu(x + self.block(x))
        return self.pool(x).flatten(1)


class Classifier(nn.Module):
    def __init__(self, backbone: Backbone, features: int = 16, classes: int = 5) -> None:
        super().__init__()
        self.backbone = backbone
        for parameter in self.backbone.parameters():
            parameter.requires_grad = False
        self.head = nn.Linear(features, classes)
        self.logit_scale = Parameter(torch.tensor(10.0), requires_grad=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        features = F.normalize(self.backbone(x), dim=1)
        return self.head(features) * self.logit_scale


def fine_tune(steps: int = 20, accumulate: int = 2) -> float:
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    torch.manual_seed(0)
    model = Classifier(Backbone()).to(device)
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.SGD(trainable, lr=0.05, momentum=0.9, nesterov=True)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=steps)
    images = torch.rand(8, 3, 32, 32, device=device)
    labels = torch.randint(0, 5, (8,), device=device)
    loss = torch.zeros(())
    for step in range(steps):
        loss = F.cross_entropy(model(images), labels, reduction="mean") / accumulate
        loss.backward()
        if (step + 1) % accumulate == 0:
            optimizer.step()
            optimizer.zero_grad(set_to_none=True)
        schedule.step()
    return float(loss.detach().cpu())


if __name__ == "__main__":
    print(f"final loss {fine_tune():.4f}")
