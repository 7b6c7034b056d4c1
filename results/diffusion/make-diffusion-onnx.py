#!/usr/bin/python3
"""A small DDPM noise-prediction model of the Fashion-MNIST training images, the off-the-shelf diffusion model that
results/diffusion puts in front of a classifier (Debian python3-torch 1.13).

    /usr/bin/python3 results/diffusion/make-diffusion-onnx.py [OUT.onnx] [EPOCHS]
    (default: results/diffusion/models/ddpm-fashion.onnx, 4 epochs)

The model is trained as DDPM trains one (Ho et al. 2020, Algorithm 1): t uniform on {0, ..., T-1}, x0 an image in
[-1, 1] (2x - 1), x_t = sqrt(abar_t) x0 + sqrt(1 - abar_t) eps, loss |eps - eps_theta(x_t, t)|^2; the linear beta
schedule 1e-4..0.02 over T = 1000 (DDPM's); Adam 2e-4 (DDPM's), batch 128, weights averaged (EMA 0.999: DDPM uses
0.9999 over 800k steps, this trains a few thousand), seed 0. Nothing in it knows about classifiers or smoothing.

The network is ddpm_unet.UNet beside this script: a U-Net in the style of DDPM's, shrunk for 28x28 one-channel images
and a 2-core CPU (113k parameters, 0.5 MB as ONNX).

Exported with torch.onnx.export (inputs "x" [b, 1, 28, 28] float and "t" [b] int64, output "eps", dynamic batch,
opset 13), with OUT.json beside it holding the schedule and the input range (what smoothing4j's --diffusion reads).
Prints per epoch the time and the mean training loss, then the one-shot denoising error on 1,000 test images at the
steps that sigma 0.25, 0.5 and 1.0 ([0, 1] pixels) select.
"""
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
from ddpm_unet import UNet  # noqa: E402
top = os.path.abspath(os.path.join(here, "..", ".."))
sys.path.insert(0, os.path.join(top, "data"))
from idx import read_idx, sets_dir  # noqa: E402
out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "models", "ddpm-fashion.onnx")
epochs = int(sys.argv[2]) if len(sys.argv) > 2 else 4
os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
torch.manual_seed(0)
torch.set_num_threads(2)
T, BETA_START, BETA_END = 1000, 1e-4, 0.02


betas = torch.linspace(BETA_START, BETA_END, T, dtype=torch.float64)
abar = torch.cumprod(1 - betas, 0)
data = sets_dir(top)
train = torch.from_numpy(read_idx(os.path.join(data, "fashion-mnist", "train-images-idx3-ubyte.gz"))
                         .astype(np.float32) / 255).unsqueeze(1)
test = torch.from_numpy(read_idx(os.path.join(data, "fashion-mnist", "t10k-images-idx3-ubyte.gz"))
                        .astype(np.float32) / 255).unsqueeze(1)[:1000]
model = UNet()
ema = UNet()
ema.load_state_dict(model.state_dict())
opt = torch.optim.Adam(model.parameters(), lr=2e-4)
print(f"{sum(p.numel() for p in model.parameters())} parameters", file=sys.stderr)
start = time.time()
for epoch in range(epochs):
    model.train()
    order = torch.randperm(len(train))
    total, count, t0 = 0.0, 0, time.time()
    for b in range(0, len(train), 128):
        x0 = 2 * train[order[b:b + 128]] - 1
        t = torch.randint(0, T, (len(x0),))
        a = abar[t].float()[:, None, None, None]
        eps = torch.randn_like(x0)
        loss = F.mse_loss(model(a.sqrt() * x0 + (1 - a).sqrt() * eps, t), eps)
        opt.zero_grad()
        loss.backward()
        opt.step()
        with torch.no_grad():
            for pe, pm in zip(ema.parameters(), model.parameters()):
                pe.mul_(0.999).add_(pm, alpha=0.001)
        total, count = total + loss.item() * len(x0), count + len(x0)
    print(f"epoch {epoch + 1}: {time.time() - t0:.0f} s, mean loss {total / count:.4f}", file=sys.stderr)
print(f"training: {time.time() - start:.0f} s on {torch.get_num_threads()} threads", file=sys.stderr)

ema.eval()
with torch.no_grad():
    for sigma in (0.25, 0.5, 1.0):
        ratio = ((1 - abar) / abar).sqrt()
        t = int((ratio >= 2 * sigma).nonzero()[0])
        a = float(abar[t])
        y = test + sigma * torch.randn_like(test)  # the smoothing noise, in [0, 1] pixels
        xt = math.sqrt(a) * (2 * y - 1)
        x0 = ((xt - math.sqrt(1 - a) * ema(xt, torch.full((len(xt),), t))) / math.sqrt(a)).clamp(-1, 1)
        mse = float(((x0 + 1) / 2 - test).pow(2).mean())
        noisy = float((y - test).pow(2).mean())
        print(f"sigma {sigma}: t* = {t}, one-shot MSE {mse:.4f} ([0,1] pixels; noisy {noisy:.4f}), "
              f"PSNR {10 * math.log10(1 / mse):.2f} dB", file=sys.stderr)
torch.onnx.export(ema, (torch.rand(2, 1, 28, 28), torch.tensor([10, 20])), out, input_names=["x", "t"],
                  output_names=["eps"], dynamic_axes={"x": {0: "batch"}, "t": {0: "batch"}, "eps": {0: "batch"}},
                  opset_version=13)
with open(os.path.splitext(out)[0] + ".json", "w") as f:
    json.dump({"schedule": "linear", "betaStart": BETA_START, "betaEnd": BETA_END, "steps": T,
               "inputRange": "-1,1"}, f, indent=2)
    f.write("\n")
print(out)
