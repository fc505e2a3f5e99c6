"""Knowledge distillation: a temperature-scaled KL divergence plus the hard-label cross entropy."""

import torch
import torch.nn.functional as F

KIND = "loss"
INPUTS = {
    "student": {"shape": [4, 6]},
    "teacher": {"shape": [4, 6]},
    "labels": {"shape": [4], "dtype": "int64", "dist": "int", "low": 0, "high": 6},
}


def distillation(
    student: torch.Tensor, teacher: torch.Tensor, labels: torch.Tensor, t: float = 2.0
) -> torch.Tensor:
    soft = F.kl_div(
        F.log_softmax(student / t, dim=1), F.softmax(teacher / t, dim=1), reduction="batchmean"
    )
    hard = F.cross_entropy(student, labels)
    return 0.7 * soft * t * t + 0.3 * hard


def run(
    student: torch.Tensor, teacher: torch.Tensor, labels: torch.Tensor
) -> dict[str, torch.Tensor]:
    return {"loss": distillation(student, teacher, labels)}
