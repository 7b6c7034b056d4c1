#!/usr/bin/python3
"""Makes the ONNX test fixtures of smoothing4j from PyTorch (Debian python3-torch 1.13; nothing is downloaded).

    /usr/bin/python3 lib/src/test/onnx/make-fixtures.py [OUT_DIR]   (default: lib/src/test/resources/onnx)

Writes, with fixed seeds:
  lenet-fmnist.onnx       LeNet (conv 5x5x32, max-pool 2, conv 5x5x64, max-pool 2, dense 128, dense 10; ReLU) with the
                          Fashion-MNIST mean/std normalisation as its first layer, as the public certified checkpoints
                          are (nn.Sequential(NormalizeLayer, net)); trained for one epoch on Fashion-MNIST with
                          Gaussian noise augmentation at sigma 0.25 (noise added before the normalisation)
  lenet-fmnist-raw.onnx   the same weights without the normalisation layer (smoothing4j adds it: --normalize)
  lenet-fmnist-weights/   the same weights as .npy files, named after smoothing4j's LeNet parameters
  resnet20-cifar.onnx     CIFAR-style ResNet-20 (He et al.; 1x1 conv + BN shortcuts), random weights and BN statistics
  resnet110-cifar.onnx    CIFAR-style ResNet-110, random weights; the blocks of a stage after its first share one
                          set of weights, so the file stays small (every one of the 110 layers is still computed)
  *-inputs.npy, *-logits.npy   fixed inputs in [0,1] and PyTorch's outputs (logits) on them
  bad-*.onnx              tiny models that are not image classifiers smoothing4j can run, for the error messages:
                          a flat input (rank 2), a float64 input, an output that is not [batch, classes], a fixed
                          batch size, two inputs
The export: torch.onnx.export(..., input_names=["input"], output_names=["logits"], dynamic_axes batch, opset 13).
"""
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

here = os.path.dirname(os.path.abspath(__file__))
top = os.path.abspath(os.path.join(here, "..", "..", "..", ".."))
sys.path.insert(0, os.path.join(top, "data"))
from idx import read_idx, sets_dir  # noqa: E402
out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(top, "lib", "src", "test", "resources", "onnx")
os.makedirs(out, exist_ok=True)
torch.manual_seed(0)
np.random.seed(0)
torch.set_num_threads(2)


class NormalizeLayer(nn.Module):
    """(x - mean) / sd per channel: the first layer of the public certified models."""

    def __init__(self, means, sds):
        super().__init__()
        self.register_buffer("means", torch.tensor(means).view(1, -1, 1, 1))
        self.register_buffer("sds", torch.tensor(sds).view(1, -1, 1, 1))

    def forward(self, x):
        return (x - self.means) / self.sds


class LeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 5)
        self.conv2 = nn.Conv2d(32, 64, 5)
        self.fc1 = nn.Linear(64 * 4 * 4, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        return self.fc2(F.relu(self.fc1(torch.flatten(x, 1))))


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.down = None
        if stride != 1 or cin != cout:
            self.down = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return F.relu(y + (x if self.down is None else self.down(x)))


class ResNet(nn.Module):
    """CIFAR ResNet of depth 6n + 2; share=True reuses one block's weights for blocks 2..n of each stage."""

    def __init__(self, depth, share):
        super().__init__()
        n = (depth - 2) // 6
        self.conv = nn.Conv2d(3, 16, 3, 1, 1, bias=False)
        self.bn = nn.BatchNorm2d(16)
        stages, cin = [], 16
        for cout, stride in ((16, 1), (32, 2), (64, 2)):
            first = Block(cin, cout, stride)
            rest = [Block(cout, cout, 1) for _ in range(n - 1)]
            if share and rest:
                rest = [rest[0]] * (n - 1)
            stages += [first] + rest
            cin = cout
        self.blocks = nn.Sequential(*stages)
        self.fc = nn.Linear(64, 10)

    def forward(self, x):
        x = F.relu(self.bn(self.conv(x)))
        x = self.blocks(x)
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


def randomize_batch_norm(model):
    """Random running statistics and affine parameters, so that inference-mode BN is not the identity; the last BN
    of each residual branch scaled by 0.2, as in trained ResNets, so that activations (and logits) stay of order 1
    through 54 blocks instead of growing with depth."""
    g = torch.Generator().manual_seed(1)
    last = {id(m.bn2) for m in model.modules() if isinstance(m, Block)}
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            c = m.num_features
            m.running_mean.copy_(0.2 * torch.randn(c, generator=g))
            m.running_var.copy_(0.5 + torch.rand(c, generator=g))
            m.weight.data.copy_((0.2 if id(m) in last else 1) * (1 + 0.2 * torch.randn(c, generator=g)))
            m.bias.data.copy_(0.1 * torch.randn(c, generator=g))


def export(model, example, name):
    model.eval()
    torch.onnx.export(model, example, os.path.join(out, name), input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}}, opset_version=13)


def save_logits(model, inputs, name):
    with torch.no_grad():
        logits = model.eval()(torch.from_numpy(inputs)).numpy().astype(np.float32)
    np.save(os.path.join(out, name + "-logits.npy"), logits)


def lenet():
    data = sets_dir(top)
    images = read_idx(os.path.join(data, "fashion-mnist", "train-images-idx3-ubyte.gz")).astype(np.float32) / 255
    labels = read_idx(os.path.join(data, "fashion-mnist", "train-labels-idx1-ubyte.gz")).astype(np.int64)
    x, y = torch.from_numpy(images).unsqueeze(1), torch.from_numpy(labels)
    net = LeNet()
    model = nn.Sequential(NormalizeLayer([0.2860], [0.3530]), net)
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)
    order = torch.randperm(len(y))
    model.train()
    for b in range(0, len(y), 128):
        idx = order[b:b + 128]
        noisy = x[idx] + 0.25 * torch.randn_like(x[idx])  # noise before the normalisation, not clamped
        loss = F.cross_entropy(model(noisy), y[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
    example = torch.rand(2, 1, 28, 28)
    export(model, example, "lenet-fmnist.onnx")
    export(net, example, "lenet-fmnist-raw.onnx")
    inputs = np.random.rand(8, 1, 28, 28).astype(np.float32)
    np.save(os.path.join(out, "lenet-inputs.npy"), inputs)
    save_logits(model, inputs, "lenet-fmnist")
    save_logits(net, ((inputs - 0.2860) / 0.3530).astype(np.float32), "lenet-fmnist-raw")
    weights = os.path.join(out, "lenet-fmnist-weights")
    os.makedirs(weights, exist_ok=True)
    # smoothing4j's LeNet: layer 1 conv1, 3 conv2, 5 dense 128, 6 output; W of a dense layer is [in, out]
    for name, t in (("1_W", net.conv1.weight), ("1_b", net.conv1.bias), ("3_W", net.conv2.weight),
                    ("3_b", net.conv2.bias), ("5_W", net.fc1.weight.t()), ("5_b", net.fc1.bias),
                    ("6_W", net.fc2.weight.t()), ("6_b", net.fc2.bias)):
        np.save(os.path.join(weights, name + ".npy"), np.ascontiguousarray(t.detach().numpy().astype(np.float32)))


def resnets():
    inputs = np.random.rand(4, 3, 32, 32).astype(np.float32)
    np.save(os.path.join(out, "resnet-inputs.npy"), inputs)
    for depth, share in ((20, False), (110, True)):
        model = ResNet(depth, share)
        randomize_batch_norm(model)
        name = "resnet%d-cifar" % depth
        export(model, torch.rand(2, 3, 32, 32), name + ".onnx")
        save_logits(model, inputs, name)


class Flat(nn.Module):
    def __init__(self, out_shape=None):
        super().__init__()
        self.fc = nn.Linear(784, 10)
        self.out_shape = out_shape

    def forward(self, x):
        y = self.fc(torch.flatten(x, 1))
        return y if self.out_shape is None else y.view(-1, *self.out_shape)


class TwoInputs(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(784, 10)

    def forward(self, x, y):
        return self.fc(torch.flatten(x + y, 1))


def bad():
    image = torch.rand(2, 1, 28, 28)
    def save(model, example, name, names=("input",), dynamic=True):
        axes = {n: {0: "batch"} for n in names} if dynamic else None
        torch.onnx.export(model.eval(), example, os.path.join(out, name), input_names=list(names),
                          output_names=["logits"], dynamic_axes=axes, opset_version=13)
    save(Flat(), torch.rand(2, 784), "bad-rank.onnx")
    save(Flat().double(), image.double(), "bad-dtype.onnx")
    save(Flat((5, 2)), image, "bad-output.onnx")
    save(Flat(), image, "bad-fixed-batch.onnx", dynamic=False)
    save(TwoInputs(), (image, image), "bad-two-inputs.onnx", names=("a", "b"))


if __name__ == "__main__":
    lenet()
    resnets()
    bad()
    for f in sorted(os.listdir(out)):
        p = os.path.join(out, f)
        if os.path.isfile(p):
            print("%-28s %9d bytes" % (f, os.path.getsize(p)))
