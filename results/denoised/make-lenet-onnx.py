#!/usr/bin/python3
"""The PyTorch LeNet trained WITHOUT noise that results/denoised robustifies (Debian python3-torch 1.13).

    /usr/bin/python3 results/denoised/make-lenet-onnx.py [OUT.onnx]   (default: results/denoised/models/lenet-plain.onnx)

LeNet (conv 5x5x32, max-pool 2, conv 5x5x64, max-pool 2, dense 128, dense 10; ReLU) behind the Fashion-MNIST
mean/std normalisation layer, as lib/src/test/onnx/make-fixtures.py builds it, trained 2 epochs on the clean
Fashion-MNIST training set (SGD lr 0.01, momentum 0.9, weight decay 1e-4, batch 128, seed 0): the kind of model a user
imports, which smoothing cannot certify without help. Exported with torch.onnx.export (input "input", output
"logits", dynamic batch, opset 13).
"""
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

here = os.path.dirname(os.path.abspath(__file__))
top = os.path.abspath(os.path.join(here, "..", ".."))
sys.path.insert(0, os.path.join(top, "data"))
from idx import read_idx, sets_dir  # noqa: E402
out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "models", "lenet-plain.onnx")
os.makedirs(os.path.dirname(out), exist_ok=True)
torch.manual_seed(0)
torch.set_num_threads(2)


class Normalize(nn.Module):
    def __init__(self, mean, sd):
        super().__init__()
        self.register_buffer("mean", torch.tensor([mean]).view(1, 1, 1, 1))
        self.register_buffer("sd", torch.tensor([sd]).view(1, 1, 1, 1))

    def forward(self, x):
        return (x - self.mean) / self.sd


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
        return self.fc2(F.relu(self.fc1(x.flatten(1))))


data = sets_dir(top)
images = read_idx(os.path.join(data, "fashion-mnist", "train-images-idx3-ubyte.gz")).astype(np.float32) / 255
labels = read_idx(os.path.join(data, "fashion-mnist", "train-labels-idx1-ubyte.gz")).astype(np.int64)
test_x = read_idx(os.path.join(data, "fashion-mnist", "t10k-images-idx3-ubyte.gz")).astype(np.float32) / 255
test_y = read_idx(os.path.join(data, "fashion-mnist", "t10k-labels-idx1-ubyte.gz")).astype(np.int64)
x, y = torch.from_numpy(images).unsqueeze(1), torch.from_numpy(labels)
model = nn.Sequential(Normalize(0.2860, 0.3530), LeNet())
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)
for epoch in range(2):
    model.train()
    order = torch.randperm(len(y))
    for b in range(0, len(y), 128):
        idx = order[b:b + 128]
        loss = F.cross_entropy(model(x[idx]), y[idx])  # clean images: no noise
        opt.zero_grad()
        loss.backward()
        opt.step()
    model.eval()
    with torch.no_grad():
        tx = torch.from_numpy(test_x).unsqueeze(1)
        acc = (model(tx).argmax(1).numpy() == test_y).mean()
        noisy = (model(tx + 0.25 * torch.randn_like(tx)).argmax(1).numpy() == test_y).mean()
    print(f"epoch {epoch + 1}: clean test accuracy {acc:.4f}, under noise sigma 0.25 {noisy:.4f}", file=sys.stderr)
torch.onnx.export(model, torch.rand(2, 1, 28, 28), out, input_names=["input"], output_names=["logits"],
                  dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}}, opset_version=13)
print(out)
