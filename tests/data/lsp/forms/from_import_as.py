"""A module docstring: the new import goes below the existing ones."""
from torch.nn import Parameter as P

p = P(w)  # expect: MP101[P]
