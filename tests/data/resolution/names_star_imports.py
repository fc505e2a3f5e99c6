# Names that only jedi can place: star imports.
from torch import *
from torch.nn import *

a = randn(3)  # refs: torch.randn[randn]
layer = Linear(3, 4)  # refs: torch.nn.Linear[Linear]
act = ReLU()  # refs: torch.nn.ReLU[ReLU]
stacked = cat([a, a])  # refs: torch.cat[cat]
base = Module  # miss: torch.nn.Module[Module]
