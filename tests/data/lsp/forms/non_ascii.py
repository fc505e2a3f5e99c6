import torch.nn as nn

label = "权重😀"; p = nn.Parameter(w, requires_grad=False)  # expect: MP101[nn.Parameter], MP301[requires_grad=False]
