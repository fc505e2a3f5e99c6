"""Running statistics updated in place: add_, mul_, div_, clamp_, zero_ and copy_."""

import torch

KIND = "utility"
INPUTS = {"batches": {"shape": [4, 5]}}


def update_average(average: torch.Tensor, value: torch.Tensor, momentum: float) -> None:
    average.mul_(momentum).add_(value, alpha=1 - momentum)


def run(batches: torch.Tensor) -> dict[str, torch.Tensor]:
    average = torch.zeros(5)
    for row in batches:
        update_average(average, row, 0.9)
    scaled = batches.clone()
    scaled.div_(2.0)
    scaled.clamp_(min=-0.5, max=0.5)
    last = torch.empty(5)
    last.copy_(batches[-1])
    counter = torch.ones(3)
    counter.zero_()
    return {"average": average, "scaled": scaled, "last": last, "counter": counter}
