import mindspore

t = mindspore.Tensor([1.0])
p = mindspore.Parameter(t, requires_grad=False)  # expect: MP301[requires_grad=False]  hover: mindspore.Parameter
