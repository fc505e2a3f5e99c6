"""Indexing utilities: gather, index_select, scatter_add, cumsum and a segment sum."""

import torch

KIND = "utility"
INPUTS = {
    "values": {"shape": [6, 4]},
    "index": {"shape": [6, 2], "dtype": "int64", "dist": "int", "low": 0, "high": 4},
    "segments": {"shape": [6], "dtype": "int64", "values": [0, 0, 1, 2, 2, 2]},
}


def segment_sum(values: torch.Tensor, segments: torch.Tensor, count: int) -> torch.Tensor:
    out = torch.zeros(count, values.shape[1], dtype=values.dtype)
    return out.index_add(0, segments, values)


def run(
    values: torch.Tensor, index: torch.Tensor, segments: torch.Tensor
) -> dict[str, torch.Tensor]:
    rows = torch.tensor([5, 0, 3])
    totals = torch.zeros(6, 4).scatter_add(1, index, values[:, :2])
    return {
        "gathered": torch.gather(values, 1, index),
        "selected": torch.index_select(values, 0, rows),
        "scattered": totals,
        "cumsum": torch.cumsum(values, dim=1),
        "segments": segment_sum(values, segments, 3),
    }
