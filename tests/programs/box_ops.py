"""Bounding-box helpers: corner/centre conversion, areas, pairwise IoU and clipping to an image."""

import torch

KIND = "utility"
INPUTS = {"raw": {"shape": [5, 4], "dist": "uniform", "low": 0.0, "high": 20.0}}


def to_corners(raw: torch.Tensor) -> torch.Tensor:
    x1 = torch.minimum(raw[:, 0], raw[:, 2])
    y1 = torch.minimum(raw[:, 1], raw[:, 3])
    x2 = torch.maximum(raw[:, 0], raw[:, 2])
    y2 = torch.maximum(raw[:, 1], raw[:, 3])
    return torch.stack([x1, y1, x2, y2], dim=1)


def box_area(boxes: torch.Tensor) -> torch.Tensor:
    return (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])


def box_iou(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    top_left = torch.max(a[:, None, :2], b[None, :, :2])
    bottom_right = torch.min(a[:, None, 2:], b[None, :, 2:])
    wh = (bottom_right - top_left).clamp(min=0)
    inter = wh[..., 0] * wh[..., 1]
    return inter / (box_area(a)[:, None] + box_area(b)[None, :] - inter)


def to_centre(boxes: torch.Tensor) -> torch.Tensor:
    x1, y1, x2, y2 = boxes.unbind(-1)
    return torch.stack([(x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1], dim=-1)


def run(raw: torch.Tensor) -> dict[str, torch.Tensor]:
    boxes = to_corners(raw)
    return {
        "iou": box_iou(boxes, boxes.flip(0)),
        "centre": to_centre(boxes),
        "clipped": boxes.clamp(min=2.0, max=15.0),
        "area": box_area(boxes),
    }
