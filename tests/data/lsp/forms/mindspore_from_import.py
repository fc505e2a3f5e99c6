from mindspore import Parameter, Tensor

p = Parameter(Tensor([1.0]), "p", False)  # expect: MP301[False]  hover: Parameter
