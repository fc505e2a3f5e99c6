"""Column statistics of a batch: standardisation, min-max scaling and clipping."""

import torch

KIND = "utility"
INPUTS = {"x": {"shape": [16, 5]}}


def standardize(x: torch.Tensor) -> torch.Tensor:
    mean = x.mean(dim=0, keepdim=True)
    std = x.std(dim=0, unbiased=True, keepdim=True)
    return (x - mean) / (std + 1e-6)


def min_max(x: torch.Tensor) -> torch.Tensor:
    low = x.min(dim=0, keepdim=True).values
    high = x.max(dim=0, keepdim=True).values
    return (x - low) / (high - low)


def run(x: torch.Tensor) -> dict[str, torch.Tensor]:
    z = standardize(x)
    return {
        "z": z,
        "scaled": min_max(x),
        "clipped": torch.clamp(z, min=-1.5, max=1.5),
        "var": torch.var(x, dim=1),
    }
