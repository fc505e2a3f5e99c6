"""Image preprocessing: uint8 HWC arrays to normalised float CHW tensors, batched."""

import numpy as np
import torch

KIND = "preprocessing"
INPUTS = {
    "pixels": {
        "shape": [2, 6, 6, 3],
        "dtype": "uint8",
        "dist": "int",
        "low": 0,
        "high": 256,
        "numpy": True,
    }
}

MEAN = [0.485, 0.456, 0.406]
STD = [0.229, 0.224, 0.225]


def to_tensor(image: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(image).permute(2, 0, 1).float() / 255.0


def normalize(image: torch.Tensor) -> torch.Tensor:
    mean = torch.tensor(MEAN).view(3, 1, 1)
    std = torch.tensor(STD).view(3, 1, 1)
    return (image - mean) / std


def run(pixels: np.ndarray) -> dict[str, torch.Tensor]:
    batch = torch.stack([normalize(to_tensor(p)) for p in pixels])
    return {"batch": batch, "channel_mean": batch.mean(dim=(0, 2, 3))}
