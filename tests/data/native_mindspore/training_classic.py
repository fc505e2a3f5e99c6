"""A small classic-API MindSpore training script (nn, ops, Model-free functional training)."""

import numpy as np

import mindspore
from mindspore import nn, ops


class Net(nn.Cell):
    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv2d(1, 8, 3, pad_mode="pad", padding=1)
        self.bn = nn.BatchNorm2d(8)
        self.relu = nn.ReLU()
        self.pool = nn.MaxPool2d(kernel_size=2, stride=2)
        self.flatten = nn.Flatten()
        self.fc = nn.Dense(8 * 14 * 14, 10)
        self.norm = nn.LayerNorm((10,))

    def construct(self, x: mindspore.Tensor) -> mindspore.Tensor:
        x = self.pool(self.relu(self.bn(self.conv(x))))
        return self.norm(self.fc(self.flatten(x)))


net = Net()
loss_fn = nn.CrossEntropyLoss()
optimizer = nn.SGD(net.trainable_params(), learning_rate=0.01, momentum=0.9)


def forward(data: mindspore.Tensor, label: mindspore.Tensor) -> mindspore.Tensor:
    return loss_fn(net(data), label)


grad_fn = mindspore.value_and_grad(forward, None, optimizer.parameters)


def train_step(data: mindspore.Tensor, label: mindspore.Tensor) -> mindspore.Tensor:
    loss, grads = grad_fn(data, label)
    optimizer(grads)
    return loss


net.set_train(True)
images = mindspore.Tensor(np.random.rand(4, 1, 28, 28).astype(np.float32))
labels = mindspore.Tensor(np.array([1, 2, 3, 4]), mindspore.int32)
print(train_step(images, labels))
net.set_train(False)
probs = ops.softmax(net(images), axis=-1)
print(ops.argmax(probs, dim=-1), ops.sort(probs)[1], ops.full((2,), 1.5, dtype=mindspore.float32))
mindspore.save_checkpoint(net, "net.ckpt")
mindspore.load_checkpoint("net.ckpt", net)
