"""Training script for the training-step suite: mlp classify, accumulate loop.
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
    accumulation = 2
    losses = []
    for i, (x, y) in enumerate(batches):
        out = model(x)
        loss = loss_fn(out, y) / accumulation
        loss.backward()
        if (i + 1) % accumulation == 0:
            optimizer.step()
            optimizer.zero_grad()
        losses.append(loss.item())
    return losses
