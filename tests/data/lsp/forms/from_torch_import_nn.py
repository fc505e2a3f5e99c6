from torch import nn
import mindspore as ms

p = nn.Parameter(ms.Tensor([1.0]))  # expect: MP101[nn.Parameter]
