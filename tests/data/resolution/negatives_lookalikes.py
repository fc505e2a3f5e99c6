# The same method names on values that are not tensors: none of these may be confirmed.
import json
from collections import OrderedDict

import numpy as np
import pandas as pd
import torch

arr = np.zeros((2, 3))
arr.view(np.float32)  # not: view
arr.sum()  # not: sum
arr.mean(axis=0)  # not: mean
arr.reshape(3, 2)  # not: reshape
arr.transpose()  # not: transpose
arr.T  # not: T
arr.shape  # not: shape
arr.dtype  # not: dtype
arr.max()  # not: max
arr.flatten()  # not: flatten
arr.repeat(2)  # not: repeat
arr.copy()  # not: copy
arr.tolist()  # not: tolist
arr.squeeze()  # not: squeeze
arr.argmax()  # not: argmax
arr.astype(np.int64).clip(0, 1)  # not: clip
np.ones(3).sum()  # not: sum
np.arange(6).reshape(2, 3).T  # not: reshape, T
arr.data  # not: data
np.random.randn(3).mean()  # not: mean

frame = pd.DataFrame({"a": [1, 2]})
frame.sum()  # not: sum
frame.mean()  # not: mean
frame.values  # not: values
frame.T  # not: T
frame.shape  # not: shape
frame.to("csv")  # not: to
frame.max()  # not: max
frame.apply(len)  # not: apply
frame["a"].view("i8")  # not: view
pd.read_csv("x.csv").transpose()  # not: transpose

table = {"a": 1}
table.values()  # not: values
table.items()
table.copy()  # not: copy
ordered = OrderedDict()
ordered.values()  # not: values
json.loads("{}").values()  # not: values

text = "a,b"
text.split(",")  # not: split
"x y".split()  # not: split
text.expand = None  # not: expand
words = text.split()  # not: split
words.copy()  # not: copy
" ".join(words).split()  # not: split
numbers = [3, 1, 2]
numbers.sort()
numbers.copy()  # not: copy
max(numbers)  # not: max
sum(numbers)  # not: sum


class Meter:
    def __init__(self) -> None:
        self.values = []  # not: values
        self.total = 0

    def sum(self):  # not: sum
        return self.total

    def view(self):  # not: view
        return self.values  # not: values

    def update(self):
        self.sum()  # not: sum
        self.view()  # not: view
        self.values.append(1)  # not: values
        return self.total


meter = Meter()
meter.sum()  # not: sum
meter.view()  # not: view
meter.values  # not: values


class Config(dict):
    def to(self, device):  # not: to
        return self

    def eval(self):  # not: eval
        return self


config = Config()
config.to("cpu")  # not: to
config.eval()  # not: eval
config.values()  # not: values
config.copy()  # not: copy


class Wrapper:
    def __init__(self, inner):
        self.inner = inner
        self.table = {"a": 1}
        self.array = np.zeros(3)

    def size(self):  # not: size
        return 3

    def run(self):
        self.size()  # not: size
        self.table.values()  # not: values
        self.array.sum()  # not: sum
        return self.array.shape  # not: shape


def shadowed_torch(torch):  # a parameter named torch is not the package
    return torch.randn(3).view(-1)  # not: randn, view


def local_numpy():
    x = np.ones(4)
    x = x.reshape(2, 2)  # not: reshape
    return x.sum(), x.T  # not: sum, T


result = torch.zeros(3).numpy()  # refs: torch.zeros[torch.zeros], torch.Tensor.numpy[numpy]
result.sum()  # not: sum
result.view(np.int32)  # not: view
