"""Metric-learning losses: cosine similarity, triplet margin and a contrastive pair loss."""

import torch
import torch.nn.functional as F

KIND = "loss"
INPUTS = {"anchor": {"shape": [6, 8]}, "positive": {"shape": [6, 8]}, "negative": {"shape": [6, 8]}}


def contrastive(
    a: torch.Tensor, b: torch.Tensor, same: torch.Tensor, margin: float = 1.0
) -> torch.Tensor:
    distance = F.pairwise_distance(a, b)
    loss = same * distance.pow(2) + (1 - same) * torch.clamp(margin - distance, min=0.0).pow(2)
    return loss.mean()


def run(
    anchor: torch.Tensor, positive: torch.Tensor, negative: torch.Tensor
) -> dict[str, torch.Tensor]:
    same = torch.tensor([1.0, 0.0, 1.0, 0.0, 1.0, 0.0])
    return {
        "cosine": F.cosine_similarity(anchor, positive, dim=1),
        "triplet": F.triplet_margin_loss(anchor, positive, negative, margin=0.5),
        "contrastive": contrastive(anchor, negative, same),
        "normalized": F.normalize(anchor, p=2, dim=1),
    }
