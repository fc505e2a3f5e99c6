"""Batching variable-length sequences: pad_sequence, lengths, masks and masked mean pooling."""

import torch
from torch.nn.utils.rnn import pad_sequence

KIND = "utility"
INPUTS = {"flat": {"shape": [9, 3]}}


def run(flat: torch.Tensor) -> dict[str, torch.Tensor]:
    pieces = [flat[:2], flat[2:7], flat[7:]]
    lengths = torch.tensor([len(p) for p in pieces])
    padded = pad_sequence(pieces, batch_first=True, padding_value=0.0)
    mask = torch.arange(padded.shape[1])[None, :] < lengths[:, None]
    pooled = (padded * mask.unsqueeze(-1)).sum(dim=1) / lengths.unsqueeze(1)
    return {"padded": padded, "mask": mask, "pooled": pooled}
