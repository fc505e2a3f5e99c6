import torch

p = torch.nn.Parameter(torch.ones(2), requires_grad=False)  # expect: MP101[torch.nn.Parameter], MP301[requires_grad=False]
