"""Nearest neighbours by pairwise distances: cdist, cosine similarity matrix, argsort."""

import torch
import torch.nn.functional as F

KIND = "utility"
INPUTS = {"points": {"shape": [7, 3]}, "queries": {"shape": [4, 3]}}


def run(points: torch.Tensor, queries: torch.Tensor) -> dict[str, torch.Tensor]:
    dist = torch.cdist(queries, points)
    unit_q = F.normalize(queries, dim=1)
    unit_p = F.normalize(points, dim=1)
    cosine = unit_q @ unit_p.t()
    order = torch.argsort(dist, dim=1)
    return {
        "dist": dist,
        "cosine": cosine,
        "nearest": order[:, 0],
        "sq_dist": ((queries[:, None, :] - points[None, :, :]) ** 2).sum(-1),
    }
