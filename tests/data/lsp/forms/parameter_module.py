import torch

p = torch.nn.parameter.Parameter(torch.ones(2))  # expect: MP101[torch.nn.parameter.Parameter]
