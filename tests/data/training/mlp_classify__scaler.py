"""Training script for the training-step suite: mlp classify, scaler loop.
"""

import torch
import torch.nn as nn

TASK = "classify"
INPUT_SHAPE = (8,)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(8, 16)
        self.fc2 = nn.Linear(16, 4)

    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(x)))


def train(model, batches):
    loss_fn = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    scaler = torch.amp.GradScaler("cpu", enabled=False)
    losses = []
    for x, y in batches:
        optimizer.zero_grad()
        with torch.autocast(device_type="cpu", enabled=False):
            out = model(x)
            loss = loss_fn(out, y)
        scaler.scale(loss).backward()
        scaler.step(optimizer)
        scaler.update()
        losses.append(loss.item())
    return losses
