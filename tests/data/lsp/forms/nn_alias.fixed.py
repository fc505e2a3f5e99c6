import torch.nn as nn
import mindspore

w = None
p = mindspore.Parameter(default_input=w, requires_grad=False)  # expect: MP101[nn.Parameter], MP202[data], MP301[requires_grad=False]
