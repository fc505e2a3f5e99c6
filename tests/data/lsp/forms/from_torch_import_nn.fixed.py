from torch import nn
import mindspore as ms

p = ms.Parameter(ms.Tensor([1.0]))  # expect: MP101[nn.Parameter]
