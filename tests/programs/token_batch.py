"""Text preprocessing: token id arrays truncated, padded, turned into tensors with attention masks."""

import numpy as np
import torch

KIND = "preprocessing"
INPUTS = {
    "ids": {"shape": [3, 9], "dtype": "int64", "dist": "int", "low": 1, "high": 30, "numpy": True}
}

PAD = 0
MAX_LEN = 6


def encode(row: np.ndarray, length: int) -> list[int]:
    kept = row[:length].tolist()
    return kept[:MAX_LEN] + [PAD] * (MAX_LEN - min(len(kept), MAX_LEN))


def run(ids: np.ndarray) -> dict[str, torch.Tensor]:
    lengths = [4, 9, 2]
    batch = torch.tensor(
        [encode(r, n) for r, n in zip(ids, lengths, strict=True)], dtype=torch.long
    )
    mask = (batch != PAD).long()
    positions = torch.cumsum(mask, dim=1) * mask
    return {"batch": batch, "mask": mask, "positions": positions}
