from torch.nn import Parameter

p = Parameter(w, False)  # expect: MP101[Parameter], MP301[False]
