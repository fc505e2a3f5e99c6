# MindSpore code: references to MindSpore APIs (the reverse direction of the knowledge base).
import mindspore
import mindspore as ms
from mindspore import mint, nn, ops
from mindspore import Tensor  # refs: mindspore.Tensor[Tensor]
from mindspore.mint import randn as ms_randn  # refs: mindspore.mint.randn[randn]

a = mint.randn(2, 3)  # refs: mindspore.mint.randn[mint.randn]
b = mint.zeros(3)  # refs: mindspore.mint.zeros[mint.zeros]
c = mint.cat([a, a])  # refs: mindspore.mint.cat[mint.cat]
d = ops.cat([a, a])  # refs: mindspore.ops.cat[ops.cat]
e = ops.relu(a)  # refs: mindspore.ops.relu[ops.relu]
f = mindspore.mint.relu(a)  # refs: mindspore.mint.relu[mindspore.mint.relu]
g = ms.mint.softmax(a)  # refs: mindspore.mint.softmax[ms.mint.softmax]
h = ms_randn(4)  # refs: mindspore.mint.randn[ms_randn]
i = mint.nn.functional.relu(a)  # refs: mindspore.mint.nn.functional.relu[mint.nn.functional.relu]
dense = nn.Dense(3, 4)  # refs: mindspore.nn.Dense[nn.Dense]
conv = mint.nn.Conv2d(1, 2, 3)  # refs: mindspore.mint.nn.Conv2d[mint.nn.Conv2d]
t = Tensor([1.0])  # refs: mindspore.Tensor[Tensor]
u = ms.Tensor([2.0])  # refs: mindspore.Tensor[ms.Tensor]
opt = mindspore.optim.Adam  # refs: mindspore.optim.Adam[mindspore.optim.Adam]


class Block(nn.Cell):  # refs: mindspore.nn.Cell[nn.Cell]
    def __init__(self):
        super().__init__()
        self.dense = nn.Dense(2, 2)  # refs: mindspore.nn.Dense[nn.Dense]

    def construct(self, x):
        return ops.relu(self.dense(x))  # refs: mindspore.ops.relu[ops.relu]
