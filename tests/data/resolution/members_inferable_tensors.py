# Tensor methods and attributes whose receiver type follows from a torch call, a local
# assigned from one, or an annotation.
from typing import Optional

import torch
import torch.nn.functional as F
from torch import Tensor  # refs: torch.Tensor[Tensor]

# On the result of a torch call.
torch.randn(2, 3).view(6)  # refs: torch.randn[torch.randn], torch.Tensor.view[view]
torch.zeros(2, 3).permute(1, 0)  # refs: torch.zeros[torch.zeros], torch.Tensor.permute[permute]
torch.ones(4).sum()  # refs: torch.ones[torch.ones], torch.Tensor.sum[sum]
torch.arange(6).reshape(2, 3)  # refs: torch.arange[torch.arange], torch.Tensor.reshape[reshape]
torch.tensor([1, 2]).float()  # refs: torch.tensor[torch.tensor], torch.Tensor.float[float]
torch.randn(3).mean()  # refs: torch.randn[torch.randn], torch.Tensor.mean[mean]
torch.cat([torch.ones(1), torch.zeros(1)]).numpy()  # refs: torch.cat[torch.cat], torch.ones[torch.ones], torch.zeros[torch.zeros], torch.Tensor.numpy[numpy]
torch.stack([torch.ones(2)]).shape  # refs: torch.stack[torch.stack], torch.ones[torch.ones], torch.Tensor.shape[shape]
torch.randn(2, 2).T  # refs: torch.randn[torch.randn], torch.Tensor.T[T]
torch.relu(torch.randn(3)).detach()  # refs: torch.relu[torch.relu], torch.randn[torch.randn], torch.Tensor.detach[detach]
F.relu(torch.randn(3)).cpu()  # refs: torch.nn.functional.relu[F.relu], torch.randn[torch.randn], torch.Tensor.cpu[cpu]
F.softmax(torch.randn(3), dim=0).argmax()  # refs: torch.nn.functional.softmax[F.softmax], torch.randn[torch.randn], torch.Tensor.argmax[argmax]
torch.matmul(torch.ones(2, 2), torch.ones(2, 2)).dtype  # refs: torch.matmul[torch.matmul], torch.ones[torch.ones], torch.ones[torch.ones], torch.Tensor.dtype[dtype]
torch.zeros(3).to("cpu")  # refs: torch.zeros[torch.zeros], torch.Tensor.to[to]
torch.ones(1).item()  # refs: torch.ones[torch.ones], torch.Tensor.item[item]
torch.randn(4).unsqueeze(0)  # refs: torch.randn[torch.randn], torch.Tensor.unsqueeze[unsqueeze]
torch.randn(1, 4).squeeze(0)  # refs: torch.randn[torch.randn], torch.Tensor.squeeze[squeeze]
torch.sigmoid(torch.zeros(2)).clone()  # refs: torch.sigmoid[torch.sigmoid], torch.zeros[torch.zeros], torch.Tensor.clone[clone]
torch.exp(torch.zeros(2)).tolist()  # refs: torch.exp[torch.exp], torch.zeros[torch.zeros], torch.Tensor.tolist[tolist]
torch.from_numpy(arr).long()  # refs: torch.from_numpy[torch.from_numpy], torch.Tensor.long[long]

# Chained calls: each result is a tensor again.
torch.randn(2, 3).view(3, 2).permute(1, 0).contiguous()  # refs: torch.randn[torch.randn], torch.Tensor.view[view], torch.Tensor.permute[permute], torch.Tensor.contiguous[contiguous]
torch.ones(2, 2).float().sum().item()  # refs: torch.ones[torch.ones], torch.Tensor.float[float], torch.Tensor.sum[sum], torch.Tensor.item[item]
torch.zeros(3).to("cpu").detach().numpy()  # refs: torch.zeros[torch.zeros], torch.Tensor.to[to], torch.Tensor.detach[detach], torch.Tensor.numpy[numpy]
torch.randn(8).reshape(2, 4).transpose(0, 1).shape  # refs: torch.randn[torch.randn], torch.Tensor.reshape[reshape], torch.Tensor.transpose[transpose], torch.Tensor.shape[shape]

# Locals assigned from torch calls.
x = torch.randn(4, 5)  # refs: torch.randn[torch.randn]
x.view(20)  # refs: torch.Tensor.view[view]
x.permute(1, 0)  # refs: torch.Tensor.permute[permute]
x.sum(dim=0)  # refs: torch.Tensor.sum[sum]
x.mean(1, keepdim=True)  # refs: torch.Tensor.mean[mean]
x.shape[0]  # refs: torch.Tensor.shape[shape]
x.size(1)  # refs: torch.Tensor.size[size]
x.dim()  # refs: torch.Tensor.dim[dim]
x.dtype  # refs: torch.Tensor.dtype[dtype]
x.device  # refs: torch.Tensor.device[device]
x.T  # refs: torch.Tensor.T[T]
x.grad  # refs: torch.Tensor.grad[grad]
x.data  # refs: torch.Tensor.data[data]
x.max()  # refs: torch.Tensor.max[max]
x.flatten()  # refs: torch.Tensor.flatten[flatten]
x.repeat(2, 1)  # refs: torch.Tensor.repeat[repeat]
x.expand(2, 4, 5)  # refs: torch.Tensor.expand[expand]
x.chunk(2)  # refs: torch.Tensor.chunk[chunk]
x.split(2)  # refs: torch.Tensor.split[split]
x.masked_fill(x > 0, 0.0)  # refs: torch.Tensor.masked_fill[masked_fill]
x.type(torch.float32)  # refs: torch.Tensor.type[type], torch.float32[torch.float32]
x.matmul(x.T)  # refs: torch.Tensor.matmul[matmul], torch.Tensor.T[T]
x.softmax(-1)  # refs: torch.Tensor.softmax[softmax]
x.add(1).mul(2).div(3)  # refs: torch.Tensor.add[add], torch.Tensor.mul[mul], torch.Tensor.div[div]
x.copy_(x)  # refs: torch.Tensor.copy_[copy_]
x.abs().norm()  # refs: torch.Tensor.abs[abs], torch.Tensor.norm[norm]
x.bool()  # refs: torch.Tensor.bool[bool]
x.fill_(0).zero_()  # refs: torch.Tensor.fill_[fill_], torch.Tensor.zero_[zero_]
x.cuda()  # refs: torch.Tensor.cuda[cuda]
x.values()  # refs: torch.Tensor.values[values]

y = x.view(5, 4)  # refs: torch.Tensor.view[view]
y.transpose(0, 1)  # refs: torch.Tensor.transpose[transpose]
z = y.sum(0)  # refs: torch.Tensor.sum[sum]
z.unsqueeze(1)  # refs: torch.Tensor.unsqueeze[unsqueeze]
w = x + 1
w.mean()  # refs: torch.Tensor.mean[mean]
v = -x
v.abs()  # refs: torch.Tensor.abs[abs]
u = x[0]
u.sum()  # refs: torch.Tensor.sum[sum]
first, second = x.chunk(2)  # refs: torch.Tensor.chunk[chunk]
first.view(-1)  # refs: torch.Tensor.view[view]
second.shape  # refs: torch.Tensor.shape[shape]
parts = x.split(1)  # refs: torch.Tensor.split[split]
parts[0].squeeze()  # refs: torch.Tensor.squeeze[squeeze]
logits = F.linear(x, x)  # refs: torch.nn.functional.linear[F.linear]
logits.argmax(-1)  # refs: torch.Tensor.argmax[argmax]
probs = torch.softmax(logits, dim=-1)  # refs: torch.softmax[torch.softmax]
probs.max()  # refs: torch.Tensor.max[max]
ann: torch.Tensor = make_something()  # refs: torch.Tensor[torch.Tensor]
ann.view(-1)  # refs: torch.Tensor.view[view]


def local_tensors():
    t = torch.zeros(3, 3)  # refs: torch.zeros[torch.zeros]
    t.fill_(1.0)  # refs: torch.Tensor.fill_[fill_]
    s = t.sum(0)  # refs: torch.Tensor.sum[sum]
    s = s.unsqueeze(0)  # refs: torch.Tensor.unsqueeze[unsqueeze]
    s.view(-1)  # refs: torch.Tensor.view[view]
    r = t @ t
    r.shape  # refs: torch.Tensor.shape[shape]
    q = torch.where(t > 0, t, t)  # refs: torch.where[torch.where]
    return q.to(torch.long)  # refs: torch.Tensor.to[to], torch.long[torch.long]


def reassigned_in_sequence():
    h = torch.randn(2, 3)  # refs: torch.randn[torch.randn]
    h = h.view(3, 2)  # refs: torch.Tensor.view[view]
    h = h.permute(1, 0)  # refs: torch.Tensor.permute[permute]
    return h.contiguous()  # refs: torch.Tensor.contiguous[contiguous]


# Annotated parameters.
def annotated(x: torch.Tensor, y: Tensor, mask: Optional[Tensor] = None, z: "torch.Tensor" = None, w: Tensor | None = None):  # refs: torch.Tensor[torch.Tensor], torch.Tensor[Tensor], torch.Tensor[Tensor], torch.Tensor[Tensor]
    x.view(-1)  # refs: torch.Tensor.view[view]
    y.sum()  # refs: torch.Tensor.sum[sum]
    x.shape  # refs: torch.Tensor.shape[shape]
    y.size(0)  # refs: torch.Tensor.size[size]
    mask.bool()  # refs: torch.Tensor.bool[bool]
    z.dim()  # refs: torch.Tensor.dim[dim]
    w.mean()  # refs: torch.Tensor.mean[mean]
    x.permute(0).contiguous().view(-1)  # refs: torch.Tensor.permute[permute], torch.Tensor.contiguous[contiguous], torch.Tensor.view[view]
    return x.masked_fill(mask, 0).softmax(-1)  # refs: torch.Tensor.masked_fill[masked_fill], torch.Tensor.softmax[softmax]


def annotated_locals(batch: Tensor) -> Tensor:  # refs: torch.Tensor[Tensor], torch.Tensor[Tensor]
    flat = batch.flatten(1)  # refs: torch.Tensor.flatten[flatten]
    total = flat.sum(-1)  # refs: torch.Tensor.sum[sum]
    return total.detach().cpu()  # refs: torch.Tensor.detach[detach], torch.Tensor.cpu[cpu]


class Scaler:
    def __init__(self) -> None:
        self.scale = torch.ones(1)  # refs: torch.ones[torch.ones]
        self.offset = torch.zeros(1)  # refs: torch.zeros[torch.zeros]

    def apply(self, x: torch.Tensor) -> torch.Tensor:  # refs: torch.Tensor[torch.Tensor], torch.Tensor[torch.Tensor]
        self.scale.clamp_(min=0)  # refs: torch.Tensor.clamp_[clamp_]
        return x.mul(self.scale).add(self.offset.item())  # refs: torch.Tensor.mul[mul], torch.Tensor.add[add], torch.Tensor.item[item]

    def shape_of(self):
        return self.scale.shape, self.offset.dtype  # refs: torch.Tensor.shape[shape], torch.Tensor.dtype[dtype]
