"""Tabular preprocessing: fill NaNs with column means, log-scale, standardise and bucketise."""

import numpy as np
import torch

KIND = "preprocessing"
INPUTS = {"table": {"shape": [8, 3], "dist": "uniform", "low": 0.5, "high": 9.0, "numpy": True}}


def run(table: np.ndarray) -> dict[str, torch.Tensor]:
    data = torch.as_tensor(table, dtype=torch.float32)
    data[1, 0] = float("nan")
    data[4, 2] = float("nan")
    means = torch.nanmean(data, dim=0)
    filled = torch.where(torch.isnan(data), means.expand_as(data), data)
    logged = torch.log1p(filled)
    scaled = (logged - logged.mean(dim=0)) / logged.std(dim=0)
    edges = torch.tensor([-1.0, 0.0, 1.0])
    return {"filled": filled, "scaled": scaled, "buckets": torch.bucketize(scaled, edges)}
