import torch
import mindspore

p = mindspore.Parameter(torch.ones(2))  # expect: MP101[torch.nn.parameter.Parameter]
