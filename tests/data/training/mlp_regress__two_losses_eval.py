"""Training script for the training-step suite: mlp regress, two losses eval loop.
"""

import torch
import torch.nn as nn

TASK = "regress"
INPUT_SHAPE = (8,)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(8, 16), nn.Tanh(), nn.Linear(16, 1))

    def forward(self, x):
        return self.body(x)


def train(model, batches):
    loss_fn = nn.MSELoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
    losses = []
    for x, y in batches:
        model.train()
        optimizer.zero_grad()
        out = model(x)
        main = loss_fn(out, y)
        penalty = (out * out).mean()
        loss = main + 0.01 * penalty
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        model.eval()
        with torch.no_grad():
            check = loss_fn(model(x), y)
    return losses
