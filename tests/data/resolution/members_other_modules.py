# Module members, self.layer(x) results, nn.Module methods, optimizers, and parameters
# without annotations (where only a name-only guess is possible).
import torch
import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):  # refs: torch.nn.Module[nn.Module]
    def __init__(self, classes: int = 10) -> None:
        super().__init__()
        self.conv = nn.Conv2d(3, 16, 3)  # refs: torch.nn.Conv2d[nn.Conv2d]
        self.bn = nn.BatchNorm2d(16)  # refs: torch.nn.BatchNorm2d[nn.BatchNorm2d]
        self.pool = nn.MaxPool2d(2)  # refs: torch.nn.MaxPool2d[nn.MaxPool2d]
        self.fc = nn.Linear(16, classes)  # refs: torch.nn.Linear[nn.Linear]
        self.drop = nn.Dropout(0.5)  # refs: torch.nn.Dropout[nn.Dropout]
        self.rnn = nn.LSTM(16, 16)  # refs: torch.nn.LSTM[nn.LSTM]
        self.register_buffer("mask", torch.ones(16))  # refs: torch.nn.Module.register_buffer[register_buffer], torch.ones[torch.ones]

    def forward(self, x):
        x = self.conv(x)  # refs: torch.nn.Conv2d[self.conv]
        x = self.bn(x)  # refs: torch.nn.BatchNorm2d[self.bn]
        x = F.relu(x)  # refs: torch.nn.functional.relu[F.relu]
        x = self.pool(x)  # refs: torch.nn.MaxPool2d[self.pool]
        x = x.view(x.size(0), -1)  # refs: torch.Tensor.view[view], torch.Tensor.size[size]
        x = self.drop(x)  # refs: torch.nn.Dropout[self.drop]
        out = self.fc(x)  # refs: torch.nn.Linear[self.fc]
        return out.softmax(-1)  # refs: torch.Tensor.softmax[softmax]

    def features(self, images):
        h = self.conv(images)  # refs: torch.nn.Conv2d[self.conv]
        h.shape  # refs: torch.Tensor.shape[shape]
        self.conv(images).view(-1)  # refs: torch.nn.Conv2d[self.conv], torch.Tensor.view[view]
        self.bn(h).mean()  # refs: torch.nn.BatchNorm2d[self.bn], torch.Tensor.mean[mean]
        self.fc(h).argmax(1)  # refs: torch.nn.Linear[self.fc], torch.Tensor.argmax[argmax]
        seq, state = self.rnn(h)  # refs: torch.nn.LSTM[self.rnn]
        seq.sum()  # miss: torch.Tensor.sum[sum]
        return self.drop(h).flatten(1)  # refs: torch.nn.Dropout[self.drop], torch.Tensor.flatten[flatten]

    def freeze(self):
        for p in self.parameters():  # refs: torch.nn.Module.parameters[parameters]
            p.detach_()  # refs: torch.Tensor.detach_[detach_]
        self.eval()  # refs: torch.nn.Module.eval[eval]
        self.train(False)  # refs: torch.nn.Module.train[train]
        self.zero_grad()  # refs: torch.nn.Module.zero_grad[zero_grad]
        self.fc.parameters()  # refs: torch.nn.Linear[self.fc], torch.nn.Module.parameters[parameters]
        self.conv.named_parameters()  # refs: torch.nn.Conv2d[self.conv], torch.nn.Module.named_parameters[named_parameters]
        self.apply(lambda m: None)  # refs: torch.nn.Module.apply[apply]
        self.children()  # refs: torch.nn.Module.children[children]
        return self.modules()  # refs: torch.nn.Module.modules[modules]


class Small(Net):
    def forward(self, x: torch.Tensor) -> torch.Tensor:  # refs: torch.Tensor[torch.Tensor], torch.Tensor[torch.Tensor]
        self.state_dict()  # refs: torch.nn.Module.state_dict[state_dict]
        return x.view(-1)  # refs: torch.Tensor.view[view]

    def eval(self):  # the class's own eval shadows torch's
        return self.parameters()  # refs: torch.nn.Module.parameters[parameters]

    def check(self):
        self.eval()  # not: eval
        self.cuda()  # refs: torch.nn.Module.cuda[cuda]


model = Net()
model.train()  # refs: torch.nn.Module.train[train]
model.eval()  # refs: torch.nn.Module.eval[eval]
model.to("cpu")  # refs: torch.nn.Module.to[to]
model.to("cpu").train()  # refs: torch.nn.Module.to[to], torch.nn.Module.train[train]
model.state_dict()  # refs: torch.nn.Module.state_dict[state_dict]
model.load_state_dict({})  # refs: torch.nn.Module.load_state_dict[load_state_dict]
model.named_parameters()  # refs: torch.nn.Module.named_parameters[named_parameters]
model.fc.parameters()  # refs: torch.nn.Linear[model.fc], torch.nn.Module.parameters[parameters]
model.forward(torch.ones(1))  # refs: torch.ones[torch.ones]
small = Small()
small.eval()  # not: eval
small.zero_grad()  # refs: torch.nn.Module.zero_grad[zero_grad]
layer = nn.Linear(2, 2)  # refs: torch.nn.Linear[nn.Linear]
layer(torch.ones(2)).sum()  # refs: torch.nn.Linear[layer], torch.ones[torch.ones], torch.Tensor.sum[sum]
layer.cuda().train()  # refs: torch.nn.Module.cuda[cuda], torch.nn.Module.train[train]
stack = nn.Sequential(nn.Linear(2, 2))  # refs: torch.nn.Sequential[nn.Sequential], torch.nn.Linear[nn.Linear]
stack(torch.zeros(2)).detach()  # refs: torch.nn.Sequential[stack], torch.zeros[torch.zeros], torch.Tensor.detach[detach]
optimizer = torch.optim.Adam(model.parameters())  # refs: torch.optim.Adam[torch.optim.Adam], torch.nn.Module.parameters[parameters]
optimizer.zero_grad()  # refs: torch.optim.Optimizer.zero_grad[zero_grad]
optimizer.step()  # refs: torch.optim.Optimizer.step[step]
sgd = torch.optim.SGD(layer.parameters(), lr=0.1)  # refs: torch.optim.SGD[torch.optim.SGD], torch.nn.Module.parameters[parameters]
sgd.step()  # refs: torch.optim.Optimizer.step[step]
loss = F.cross_entropy(model(torch.ones(1)), torch.zeros(1))  # refs: torch.nn.functional.cross_entropy[F.cross_entropy], torch.ones[torch.ones], torch.zeros[torch.zeros]
loss.item()  # refs: torch.Tensor.item[item]
criterion = nn.CrossEntropyLoss()  # refs: torch.nn.CrossEntropyLoss[nn.CrossEntropyLoss]
criterion(torch.ones(2), torch.zeros(2)).item()  # refs: torch.nn.CrossEntropyLoss[criterion], torch.ones[torch.ones], torch.zeros[torch.zeros], torch.Tensor.item[item]


def train_step(model, batch, target, optimizer):
    out = model(batch)
    loss = F.cross_entropy(out, target)  # refs: torch.nn.functional.cross_entropy[F.cross_entropy]
    loss.backward()  # refs: torch.Tensor.backward[backward]
    optimizer.zero_grad()  # possible: torch.nn.Module.zero_grad[zero_grad]
    optimizer.step()  # possible: torch.optim.Optimizer.step[step]
    return loss.item(), out.argmax(1)  # refs: torch.Tensor.item[item]  # possible: torch.Tensor.argmax[argmax]


def unannotated(x, y):
    a = x.view(-1)  # possible: torch.Tensor.view[view]
    b = y.sum()  # possible: torch.Tensor.sum[sum]
    return a.shape, b.mean()  # possible: torch.Tensor.shape[shape], torch.Tensor.mean[mean]


def from_a_module_call(images):
    features = model(images)
    return features.view(-1)  # possible: torch.Tensor.view[view]


def mixed(values):
    t = torch.as_tensor(values)
    return t.sum()  # refs: torch.Tensor.sum[sum]


def branches(flag):
    if flag:
        t = torch.zeros(2)  # refs: torch.zeros[torch.zeros]
    else:
        t = torch.ones(2)  # refs: torch.ones[torch.ones]
    return t.view(-1)  # refs: torch.Tensor.view[view]


def in_a_loop(batches):
    acc = torch.zeros(1)  # refs: torch.zeros[torch.zeros]
    for batch in batches:
        acc = acc + batch.sum()  # possible: torch.Tensor.sum[sum]
    return acc.item()  # refs: torch.Tensor.item[item]
