"""Label handling: one-hot encoding, masking ignored labels, where and masked_fill."""

import torch
import torch.nn.functional as F

KIND = "utility"
INPUTS = {
    "labels": {"shape": [10], "dtype": "int64", "dist": "int", "low": -1, "high": 4},
    "scores": {"shape": [10, 4]},
}


def run(labels: torch.Tensor, scores: torch.Tensor) -> dict[str, torch.Tensor]:
    valid = labels >= 0
    safe = torch.where(valid, labels, torch.zeros_like(labels))
    onehot = F.one_hot(safe, num_classes=4).float() * valid.unsqueeze(1).float()
    masked = scores.masked_fill(onehot.bool(), 0.0)
    return {
        "onehot": onehot,
        "masked": masked,
        "count": valid.sum(),
        "any_valid": valid.any(),
        "first_valid": torch.nonzero(valid).flatten()[:1],
    }
