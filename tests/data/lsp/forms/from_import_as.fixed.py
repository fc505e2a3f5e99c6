"""A module docstring: the new import goes below the existing ones."""
from torch.nn import Parameter as P
import mindspore

p = mindspore.Parameter(w)  # expect: MP101[P]
