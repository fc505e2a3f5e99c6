from torch.nn import Parameter
import mindspore

p = mindspore.Parameter(w, requires_grad=False)  # expect: MP101[Parameter], MP301[False]
