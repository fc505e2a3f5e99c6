# Import forms, aliases, shadowing, decorators, base classes and annotations.
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from torch import nn as tnn
from torch import optim as topt
from torch.nn import functional as Fn
from torch.nn import Linear, Conv2d  # refs: torch.nn.Linear[Linear], torch.nn.Conv2d[Conv2d]
from torch.nn import Module as Base  # refs: torch.nn.Module[Module]
from torch import Tensor  # refs: torch.Tensor[Tensor]
from torch import randn as rn, zeros  # refs: torch.randn[randn], torch.zeros[zeros]
from torch.nn.functional import relu  # refs: torch.nn.functional.relu[relu]
from torch.optim import Adam  # refs: torch.optim.Adam[Adam]
import torch.utils.data
from torch.utils.data import DataLoader  # refs: torch.utils.data.DataLoader[DataLoader]

a = torch.randn(2, 3)  # refs: torch.randn[torch.randn]
b = torch.zeros(3)  # refs: torch.zeros[torch.zeros]
c = torch.ones(3)  # refs: torch.ones[torch.ones]
d = torch.tensor([1.0, 2.0])  # refs: torch.tensor[torch.tensor]
e = torch.arange(10)  # refs: torch.arange[torch.arange]
f = torch.cat([a, a])  # refs: torch.cat[torch.cat]
g = torch.stack([b, c])  # refs: torch.stack[torch.stack]
h = torch.relu(a)  # refs: torch.relu[torch.relu]
i = torch.matmul(a, a.T)  # refs: torch.matmul[torch.matmul], torch.Tensor.T[T]
j = torch.sum(a)  # refs: torch.sum[torch.sum]
k = torch.softmax(a, dim=1)  # refs: torch.softmax[torch.softmax]
l_ = torch.flatten(a)  # refs: torch.flatten[torch.flatten]
m = torch.exp(a)  # refs: torch.exp[torch.exp]
n = torch.where(a > 0, a, b)  # refs: torch.where[torch.where]
torch.manual_seed(0)  # refs: torch.manual_seed[torch.manual_seed]
dt = torch.float32  # refs: torch.float32[torch.float32]
lt = torch.long  # refs: torch.long[torch.long]
gpu = torch.cuda.is_available()  # refs: torch.cuda.is_available[torch.cuda.is_available]
dev = torch.device("cpu")  # refs: torch.device[torch.device]

layer = nn.Linear(3, 4)  # refs: torch.nn.Linear[nn.Linear]
conv = nn.Conv2d(1, 8, 3)  # refs: torch.nn.Conv2d[nn.Conv2d]
act = nn.ReLU()  # refs: torch.nn.ReLU[nn.ReLU]
drop = nn.Dropout(0.1)  # refs: torch.nn.Dropout[nn.Dropout]
bn = nn.BatchNorm2d(8)  # refs: torch.nn.BatchNorm2d[nn.BatchNorm2d]
emb = nn.Embedding(10, 4)  # refs: torch.nn.Embedding[nn.Embedding]
ln = nn.LayerNorm(4)  # refs: torch.nn.LayerNorm[nn.LayerNorm]
pool = nn.MaxPool2d(2)  # refs: torch.nn.MaxPool2d[nn.MaxPool2d]
loss_fn = nn.CrossEntropyLoss()  # refs: torch.nn.CrossEntropyLoss[nn.CrossEntropyLoss]
seq = nn.Sequential(nn.Linear(4, 4), nn.ReLU())  # refs: torch.nn.Sequential[nn.Sequential], torch.nn.Linear[nn.Linear], torch.nn.ReLU[nn.ReLU]
rnn = nn.LSTM(4, 8)  # refs: torch.nn.LSTM[nn.LSTM]
blocks = nn.ModuleList([nn.Linear(2, 2)])  # refs: torch.nn.ModuleList[nn.ModuleList], torch.nn.Linear[nn.Linear]
full = torch.nn.Linear(2, 2)  # refs: torch.nn.Linear[torch.nn.Linear]
full_conv = torch.nn.Conv2d(1, 1, 1)  # refs: torch.nn.Conv2d[torch.nn.Conv2d]
t_layer = tnn.Linear(1, 1)  # refs: torch.nn.Linear[tnn.Linear]
imported = Linear(5, 6)  # refs: torch.nn.Linear[Linear]
imported_conv = Conv2d(1, 1, 3)  # refs: torch.nn.Conv2d[Conv2d]

y1 = F.relu(a)  # refs: torch.nn.functional.relu[F.relu]
y2 = F.softmax(a, dim=-1)  # refs: torch.nn.functional.softmax[F.softmax]
y3 = F.cross_entropy(a, e)  # refs: torch.nn.functional.cross_entropy[F.cross_entropy]
y4 = F.dropout(a, 0.5)  # refs: torch.nn.functional.dropout[F.dropout]
y5 = F.gelu(a)  # refs: torch.nn.functional.gelu[F.gelu]
y6 = Fn.linear(a, a)  # refs: torch.nn.functional.linear[Fn.linear]
y7 = torch.nn.functional.interpolate(a, scale_factor=2)  # refs: torch.nn.functional.interpolate[torch.nn.functional.interpolate]
y8 = relu(a)  # refs: torch.nn.functional.relu[relu]
y9 = rn(3)  # refs: torch.randn[rn]
y10 = zeros(2)  # refs: torch.zeros[zeros]
nn.init.xavier_uniform_(layer.weight)  # refs: torch.nn.init.xavier_uniform_[nn.init.xavier_uniform_]
torch.nn.init.zeros_(layer.bias)  # refs: torch.nn.init.zeros_[torch.nn.init.zeros_]

opt1 = optim.Adam(layer.parameters(), lr=1e-3)  # refs: torch.optim.Adam[optim.Adam], torch.nn.Module.parameters[parameters]
opt2 = optim.SGD(layer.parameters(), lr=0.1)  # refs: torch.optim.SGD[optim.SGD], torch.nn.Module.parameters[parameters]
opt3 = topt.Adam(conv.parameters())  # refs: torch.optim.Adam[topt.Adam], torch.nn.Module.parameters[parameters]
opt4 = Adam(conv.parameters())  # refs: torch.optim.Adam[Adam], torch.nn.Module.parameters[parameters]
opt5 = torch.optim.SGD(conv.parameters(), 0.01)  # refs: torch.optim.SGD[torch.optim.SGD], torch.nn.Module.parameters[parameters]
loader = DataLoader([1, 2, 3], batch_size=2)  # refs: torch.utils.data.DataLoader[DataLoader]
loader2 = torch.utils.data.DataLoader([1])  # refs: torch.utils.data.DataLoader[torch.utils.data.DataLoader]

# Assignment aliases.
activation = torch.relu  # refs: torch.relu[torch.relu]
out = activation(a)  # refs: torch.relu[activation]
LinearAlias = nn.Linear  # refs: torch.nn.Linear[nn.Linear]
made = LinearAlias(2, 3)  # refs: torch.nn.Linear[LinearAlias]
functional = F
out2 = functional.gelu(a)  # refs: torch.nn.functional.gelu[functional.gelu]
mk = torch.zeros  # refs: torch.zeros[torch.zeros]
made2 = mk(4)  # refs: torch.zeros[mk]


# Decorators, base classes, annotations.
@torch.no_grad()  # refs: torch.no_grad[torch.no_grad]
def evaluate(model: nn.Module, batch: torch.Tensor) -> Tensor:  # refs: torch.nn.Module[nn.Module], torch.Tensor[torch.Tensor], torch.Tensor[Tensor]
    return model(batch)  # refs: torch.nn.Module[model]


class Net(nn.Module):  # refs: torch.nn.Module[nn.Module]
    def __init__(self) -> None:
        super().__init__()
        self.fc = nn.Linear(4, 2)  # refs: torch.nn.Linear[nn.Linear]

    def forward(self, x: Tensor) -> torch.Tensor:  # refs: torch.Tensor[Tensor], torch.Tensor[torch.Tensor]
        return self.fc(x)  # refs: torch.nn.Linear[self.fc]


class Other(Base):  # refs: torch.nn.Module[Base]
    weight: torch.Tensor  # refs: torch.Tensor[torch.Tensor]

    def forward(self, x: "torch.Tensor") -> "Tensor":
        return x


class Data(torch.utils.data.Dataset):  # refs: torch.utils.data.Dataset[torch.utils.data.Dataset]
    pass


def local_imports():
    import torch.nn as inner_nn
    from torch import cat as concat  # refs: torch.cat[cat]
    from torch.nn import functional as inner_f

    x = concat([a, b])  # refs: torch.cat[concat]
    y = inner_nn.Dropout(0.2)  # refs: torch.nn.Dropout[inner_nn.Dropout]
    return inner_f.relu(x), y  # refs: torch.nn.functional.relu[inner_f.relu]


# Shadowing: parameters, locals and class scopes.
def shadowed(nn, torch, F):  # not: nn, torch, F
    layer = nn.Linear(1, 1)  # not: Linear
    t = torch.randn(2)  # not: randn
    return F.relu(t), layer  # not: relu


def local_shadow():
    relu = lambda x: x  # not: relu
    zeros = [0, 0]  # not: zeros
    return relu(1), zeros  # not: relu, zeros


class Holder:
    nn = None  # a class attribute does not shadow names inside methods

    def build(self):
        return nn.Linear(2, 2)  # refs: torch.nn.Linear[nn.Linear]


def rebinds_later():
    Linear = object  # not: Linear
    return Linear()  # not: Linear

