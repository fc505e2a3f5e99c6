import torch.nn as nn

w = None
p = nn.Parameter(data=w, requires_grad=False)  # expect: MP101[nn.Parameter], MP202[data], MP301[requires_grad=False]
