"""Vision-transformer input stage: patchify with a strided conv, class token, position table."""

import torch
from torch import nn

KIND = "model"
INPUTS = {"images": {"shape": [2, 3, 16, 16]}}


class PatchEmbed(nn.Module):
    def __init__(self, patch: int = 4, dim: int = 24, size: int = 16) -> None:
        super().__init__()
        self.proj = nn.Conv2d(3, dim, kernel_size=patch, stride=patch)
        count = (size // patch) ** 2
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos_embed = nn.Parameter(torch.randn(1, count + 1, dim) * 0.02)
        self.norm = nn.LayerNorm(dim, eps=1e-6)

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        patches = self.proj(images).flatten(2).transpose(1, 2)
        cls = self.cls_token.expand(patches.shape[0], -1, -1)
        tokens = torch.cat((cls, patches), dim=1) + self.pos_embed
        return self.norm(tokens)


def build() -> nn.Module:
    return PatchEmbed()


def run(model: nn.Module, images: torch.Tensor) -> dict[str, torch.Tensor]:
    tokens = model(images)
    return {"tokens": tokens, "cls": tokens[:, 0]}
