"""A small PyTorch module that uses torch.nn.Parameter in every common spelling.

Run `mindport check examples/parameter_demo.py` to see what MindPort reports, or open this
file in an editor with the MindPort language server and hover over `nn.Parameter`.
"""

import torch
import torch.nn as nn
from torch.nn import Parameter
from torch.nn import Parameter as P


class ScaledLinear(nn.Module):
    def __init__(self, in_features: int, out_features: int) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.randn(out_features, in_features) * 0.02)
        self.bias = Parameter(torch.zeros(out_features))
        # A fixed scale: frozen in torch, but see what MindSpore does with the flag.
        self.scale = torch.nn.Parameter(torch.ones(1), requires_grad=False)
        self.shift = P(data=torch.zeros(1))  # keyword form: `data` is renamed

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return (x @ self.weight.t() + self.bias) * self.scale + self.shift


def make_temperature() -> torch.nn.parameter.Parameter:
    return torch.nn.parameter.Parameter(torch.tensor(1.0))
