"""Generated PyTorch code for the resolver benchmarks: realistic shapes, deterministic text.

Each block is a small model, a training step, data helpers and look-alike code (NumPy,
dicts, strings, the project's own classes), in the proportions of real model code: most
torch uses are layers, functional calls and tensor methods on locals and parameters.
"""

from __future__ import annotations

BLOCK = '''

class Encoder{n}(nn.Module):
    """Block {n}: convolution, normalisation and a projection."""

    def __init__(self, channels: int = {c}, classes: int = 10) -> None:
        super().__init__()
        self.conv = nn.Conv2d(3, channels, kernel_size=3, padding=1)
        self.bn = nn.BatchNorm2d(channels)
        self.pool = nn.MaxPool2d(2)
        self.drop = nn.Dropout(0.{d})
        self.fc = nn.Linear(channels, classes)
        self.scale = nn.Parameter(torch.ones(1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.conv(x)
        h = F.relu(self.bn(h))
        h = self.pool(h)
        h = h.view(h.size(0), h.size(1), -1).mean(-1)
        h = self.drop(h) * self.scale
        return self.fc(h).softmax(dim=-1)

    def features{n}(self, images):
        out = self.conv(images)
        stats = out.flatten(1).sum(dim=1)
        return out.permute(0, 2, 3, 1).contiguous(), stats.detach().cpu()


def train_step{n}(model, batch, target, optimizer):
    optimizer.zero_grad()
    logits = model(batch)
    loss = F.cross_entropy(logits, target)
    loss.backward()
    optimizer.step()
    return loss.item(), logits.argmax(dim=1)


def make_batch{n}(size: int = {c}):
    x = torch.randn(size, 3, 8, 8)
    y = torch.randint(0, 10, (size,))
    mask = torch.zeros(size, dtype=torch.bool)
    x = x.masked_fill(mask.view(-1, 1, 1, 1), 0.0)
    return x.float(), y.long()


def evaluate{n}(model: nn.Module, loader) -> float:
    model.eval()
    correct = 0
    with torch.no_grad():
        for batch, target in loader:
            pred = model(batch).argmax(1)
            correct += (pred == target).sum().item()
    model.train()
    return correct / max(len(loader), 1)


def statistics{n}(values):
    arr = np.asarray(values, dtype=np.float32)
    table = {{"mean": arr.mean(), "max": arr.max()}}
    names = "a,b,c".split(",")
    return arr.reshape(-1, 1).T, list(table.values()), names


class Meter{n}:
    def __init__(self) -> None:
        self.values = []

    def sum(self):
        return sum(self.values)

    def update(self, value):
        self.values.append(value)
        return self.sum()


def build{n}():
    model = Encoder{n}()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    x, y = make_batch{n}()
    loss, pred = train_step{n}(model, x, y, optimizer)
    state = model.state_dict()
    return loss, pred.view(-1), state
'''

HEADER = '''"""Generated for the MindPort resolver benchmark."""

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
'''


def generate(lines: int, seed: int = 0) -> str:
    """About ``lines`` lines of code; ``seed`` changes the identifiers (a different file)."""
    parts = [HEADER]
    count = HEADER.count("\n")
    n = seed * 1000
    while count < lines:
        block = BLOCK.format(n=n, c=8 + n % 24, d=1 + n % 8)
        parts.append(block)
        count += block.count("\n")
        n += 1
    return "".join(parts)
