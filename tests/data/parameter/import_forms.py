# Every spelling of torch.nn.Parameter (and mindspore.Parameter) that MindPort must find.
# Labels: `# expect: CODE[exact text the finding covers]`; a line without a label has none.
import torch
import torch.nn as nn
from torch import nn as torch_nn
from torch.nn import Parameter
from torch.nn import Parameter as P
from torch.nn import parameter
import mindspore
import mindspore as ms
from mindspore import Parameter as MsParameter

w = torch.ones(3)
a = torch.nn.Parameter(w)  # expect: MP101[torch.nn.Parameter]
b = torch.nn.parameter.Parameter(w)  # expect: MP101[torch.nn.parameter.Parameter]
c = nn.Parameter(w)  # expect: MP101[nn.Parameter]
d = torch_nn.Parameter(w, requires_grad=False)  # expect: MP101[torch_nn.Parameter], MP301[requires_grad=False]
e = Parameter(w)  # expect: MP101[Parameter]
f = P(w, False)  # expect: MP101[P], MP301[False]
g = parameter.Parameter(w)  # expect: MP101[parameter.Parameter]
h = mindspore.Parameter(mindspore.Tensor([1.0]), requires_grad=False)  # expect: MP301[requires_grad=False]
i = MsParameter(ms.Tensor([1.0]), "i", False)  # expect: MP301[False]
j = ms.Parameter(ms.Tensor([1.0]), requires_grad=True)
k = torch.nn.Parameter(w, requires_grad=True)  # expect: MP101[torch.nn.Parameter]
m = torch.nn.Parameter(w, requires_grad=not True)  # expect: MP101[torch.nn.Parameter]


def shadowed(nn, Parameter):
    return nn.Parameter(w), Parameter(w)


def local_import():
    from torch import nn as inner

    return inner.Parameter(w)  # expect: MP101[inner.Parameter]


class Holder:
    nn = None  # a class attribute does not shadow names inside methods

    def method(self):
        return nn.Parameter(w)  # expect: MP101[nn.Parameter]


def annotated(p: nn.Parameter) -> None:  # expect: MP101[nn.Parameter]
    pass


alias = torch.nn.Parameter  # expect: MP101[torch.nn.Parameter]
n = alias(w)  # expect: MP101[alias]
o = [Parameter(t) for t in (w, w)]  # expect: MP101[Parameter]
