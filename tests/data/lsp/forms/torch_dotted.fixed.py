import torch
import mindspore

p = mindspore.Parameter(torch.ones(2), requires_grad=False)  # expect: MP101[torch.nn.Parameter], MP301[requires_grad=False]
