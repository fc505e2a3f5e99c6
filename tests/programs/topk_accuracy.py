"""Top-1 and top-3 accuracy and a confusion matrix from logits and labels."""

import torch

KIND = "utility"
INPUTS = {
    "logits": {"shape": [12, 5]},
    "labels": {"shape": [12], "dtype": "int64", "dist": "int", "low": 0, "high": 5},
}


def accuracy(logits: torch.Tensor, labels: torch.Tensor, k: int) -> torch.Tensor:
    _, top = logits.topk(k, dim=1)
    hits = (top == labels.unsqueeze(1)).any(dim=1)
    return hits.float().mean()


def confusion(pred: torch.Tensor, labels: torch.Tensor, classes: int) -> torch.Tensor:
    matrix = torch.zeros(classes, classes, dtype=torch.int64)
    for p, t in zip(pred.tolist(), labels.tolist(), strict=True):
        matrix[t, p] += 1
    return matrix


def run(logits: torch.Tensor, labels: torch.Tensor) -> dict[str, torch.Tensor]:
    pred = torch.argmax(logits, dim=1)
    return {
        "top1": accuracy(logits, labels, 1),
        "top3": accuracy(logits, labels, 3),
        "confusion": confusion(pred, labels, 5),
    }
