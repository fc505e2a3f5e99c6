"""Classification losses on logits: cross entropy (weighted, smoothed), NLL, binary with logits."""

import torch
import torch.nn.functional as F
from torch import nn

KIND = "loss"
INPUTS = {
    "logits": {"shape": [6, 4]},
    "labels": {"shape": [6], "dtype": "int64", "dist": "int", "low": 0, "high": 4},
    "scores": {"shape": [6, 3]},
    "flags": {"shape": [6, 3], "dist": "int", "low": 0, "high": 2},
}


def run(
    logits: torch.Tensor, labels: torch.Tensor, scores: torch.Tensor, flags: torch.Tensor
) -> dict[str, torch.Tensor]:
    class_weights = torch.tensor([1.0, 2.0, 0.5, 1.0])
    return {
        "ce": F.cross_entropy(logits, labels),
        "ce_weighted": nn.CrossEntropyLoss(weight=class_weights)(logits, labels),
        "ce_smoothed": F.cross_entropy(logits, labels, label_smoothing=0.1),
        "ce_sum": F.cross_entropy(logits, labels, reduction="sum"),
        "nll": F.nll_loss(F.log_softmax(logits, dim=1), labels),
        "bce": F.binary_cross_entropy_with_logits(scores, flags),
        "bce_pos": nn.BCEWithLogitsLoss(pos_weight=torch.full((3,), 2.0))(scores, flags),
    }
