import torch.nn as nn
import mindspore

label = "权重😀"; p = mindspore.Parameter(w, requires_grad=False)  # expect: MP101[nn.Parameter], MP301[requires_grad=False]
