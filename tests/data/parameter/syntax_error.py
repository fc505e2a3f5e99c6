import torch.nn as nn

good = nn.Parameter(w)  # expect: MP101[nn.Parameter]
broken = nn.Parameter(w,
half = 1 +


def also_broken(:
    return nn.Parameter(w, requires_grad=False)  # expect: MP101[nn.Parameter], MP301[requires_grad=False]


after = nn.Parameter(w)  # expect: MP101[nn.Parameter]
