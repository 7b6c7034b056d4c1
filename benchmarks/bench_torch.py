#!/usr/bin/python3
"""PyTorch's side of `make bench` (benchmarks/Bench.java is smoothing4j's): the same quantities, architectures,
batch sizes and thread count, printed as one JSON object per line. Written for this benchmark after the
reference code's loops (Cohen et al. core.py sampling, Salman et al. SmoothAdv PGD training on all m copies).
Run with an OpenBLAS preloaded (benchmarks/bench does it) and OMP_NUM_THREADS set."""
import json
import os
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "results", "diffusion"))
from ddpm_unet import UNet  # noqa: E402  results/diffusion's DDPM U-Net (random weights here: cost only)

REPS = int(sys.argv[-1]) if len(sys.argv) > 1 and sys.argv[-1].isdigit() else 5
torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", os.cpu_count())))
torch.manual_seed(0)


class Normalize(nn.Module):
    def __init__(self, mean, std):
        super().__init__()
        self.register_buffer("mean", torch.tensor(mean).view(1, -1, 1, 1))
        self.register_buffer("std", torch.tensor(std).view(1, -1, 1, 1))

    def forward(self, x):
        return (x - self.mean) / self.std


def lenet():
    return nn.Sequential(Normalize([0.2860], [0.3530]), nn.Conv2d(1, 32, 5), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(32, 64, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                         nn.Linear(1024, 128), nn.ReLU(), nn.Linear(128, 10))


def mlp():
    return nn.Sequential(Normalize([0.2860], [0.3530]), nn.Flatten(), nn.Linear(784, 512), nn.ReLU(),
                         nn.Linear(512, 256), nn.ReLU(), nn.Linear(256, 10))


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.c1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.b1 = nn.BatchNorm2d(cout)
        self.c2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.b2 = nn.BatchNorm2d(cout)
        self.down = None
        if stride != 1 or cin != cout:
            self.down = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        out = F.relu(self.b1(self.c1(x)))
        out = self.b2(self.c2(out))
        return F.relu(out + (x if self.down is None else self.down(x)))


def resnet(depth):
    n = (depth - 2) // 6
    layers = [Normalize([0.4914, 0.4822, 0.4465], [0.2023, 0.1994, 0.2010]),
              nn.Conv2d(3, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU()]
    cin = 16
    for width, stride in ((16, 1), (32, 2), (64, 2)):
        for b in range(n):
            layers.append(Block(cin, width, stride if b == 0 else 1))
            cin = width
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, 10)]
    return nn.Sequential(*layers)


def resnet_macs(depth):
    n = (depth - 2) // 6
    return (32 * 32 * 16 * 27 + 2 * n * 32 * 32 * 16 * 144 + 16 * 16 * 32 * 144 + (2 * n - 1) * 16 * 16 * 32 * 288
            + 16 * 16 * 32 * 16 + 8 * 8 * 64 * 288 + (2 * n - 1) * 8 * 8 * 64 * 576 + 8 * 8 * 64 * 32 + 640)


MODELS = {"lenet": (lenet, (1, 28, 28)), "mlp": (mlp, (1, 28, 28)), "resnet20": (lambda: resnet(20), (3, 32, 32)),
          "resnet110": (lambda: resnet(110), (3, 32, 32))}
MACS = {"lenet": 24 * 24 * 32 * 25 + 8 * 8 * 64 * 25 * 32 + 1024 * 128 + 128 * 10,
        "mlp": 784 * 512 + 512 * 256 + 256 * 10, "resnet20": resnet_macs(20), "resnet110": resnet_macs(110)}


def export(folder):
    """The ResNets (random weights, inference mode) as ONNX files, for smoothing4j's imported-model rows: the same
    models this script certifies (weights do not change the cost)."""
    os.makedirs(folder, exist_ok=True)
    for arch in ("lenet", "resnet20", "resnet110"):
        build, shape = MODELS[arch]
        torch.onnx.export(build().eval(), torch.rand(2, *shape), os.path.join(folder, arch + ".onnx"),
                          input_names=["input"], output_names=["logits"],
                          dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}}, opset_version=13)
    torch.onnx.export(UNet().eval(), (torch.rand(2, 1, 28, 28), torch.tensor([10, 20])),
                      os.path.join(folder, "ddpm.onnx"), input_names=["x", "t"], output_names=["eps"],
                      dynamic_axes={"x": {0: "batch"}, "t": {0: "batch"}, "eps": {0: "batch"}}, opset_version=13)


WARM_UP_SECONDS, REPETITION_SECONDS = 10.0, 1.0  # as Bench.java


GATED = os.environ.get("SMOOTHING4J_BENCH_GATED") == "1"


def gate(quantity, model, phase):
    """Under benchmarks/alternate.py: announce the next phase of a row and wait for its turn (a line on stdin)."""
    if GATED:
        print(json.dumps({"event": "gate", "quantity": quantity, "model": model, "phase": phase}), flush=True)
        if not sys.stdin.readline():
            raise SystemExit("bench_torch: the orchestrator closed standard input")


def measure(quantity, model, unit, work):
    gate(quantity, model, "warmup")
    start = time.perf_counter()
    while True:
        work()
        if time.perf_counter() - start >= WARM_UP_SECONDS:
            break
    rates = []
    for i in range(REPS):
        gate(quantity, model, str(i + 1))
        amount, t0 = 0.0, time.perf_counter()
        while True:
            amount += work()
            if time.perf_counter() - t0 >= REPETITION_SECONDS:
                break
        rates.append(amount / (time.perf_counter() - t0))
    rates.sort()
    emit(quantity, model, unit, rates)
    return rates


def emit(quantity, model, unit, rates):
    print(json.dumps({"quantity": quantity, "model": model, "unit": unit, "median": rates[len(rates) // 2],
                      "min": rates[0], "max": rates[-1], "reps": len(rates)}), flush=True)


def normals():
    buf = torch.empty(400, 784)

    def work():
        for _ in range(250):
            buf.normal_(0, 0.5)
        return 250.0 * buf.numel()
    measure("gaussian sampling", "-", "normals/s", work)


def sgemm():
    n = 2048
    x, y, z = torch.rand(n, n), torch.rand(n, n), torch.empty(n, n)

    def work():
        for _ in range(3):
            torch.mm(x, y, out=z)
        return 3 * 2.0 * n ** 3 / 1e9
    measure("sgemm peak", "2048^3", "GFLOP/s", work)


def sample_counts(x, samples, logits):
    """Cohen et al.'s counting loop: `samples` noisy copies of the one image x in batches of 400, each batch's
    logits (noise added by `logits`) to argmax and class counts; returns the sample count (the work done)."""
    with torch.no_grad():
        counts = torch.zeros(10, dtype=torch.long)
        remaining = samples
        while remaining > 0:
            b = min(400, remaining)
            counts += torch.bincount(logits(x.repeat(b, 1, 1, 1)).argmax(1), minlength=10)
            remaining -= b
    return samples


def certification(arch):
    build, shape = MODELS[arch]
    model = build().eval()
    x = torch.rand(1, *shape)
    samples = 2000 if arch.startswith("resnet") else 20000

    def count():  # Cohen et al.'s _sample_noise: noise, forward, argmax, counts, batch 400
        return sample_counts(x, samples, lambda batch: model(batch + torch.randn_like(batch) * 0.25))
    rates = measure("certification", arch, "samples/s", count)
    # the same runs in forward-pass FLOP/s
    emit("certification compute", arch, "GFLOP/s", [r * 2 * MACS[arch] / 1e9 for r in rates])


def diffusion_certification():
    """Diffusion denoised smoothing's sampling (Carlini et al. 2023, their cifar10/core.py + DRM.py, one shot): noise,
    x_t = sqrt(abar) (2 (x + delta) - 1) at the step of sigma 0.5 (t* = 259 of DDPM's linear schedule), the U-Net's
    eps, the x0 estimate clipped and mapped back to [0, 1], the LeNet, argmax, counts; batch 400, as Bench.java's row."""
    lenet_model, unet = lenet().eval(), UNet().eval()
    abar = torch.cumprod(1 - torch.linspace(1e-4, 0.02, 1000, dtype=torch.float64), 0)
    t = int((((1 - abar) / abar).sqrt() >= 2 * 0.5).nonzero()[0])
    a = float(abar[t])
    x = torch.rand(1, 1, 28, 28)
    samples = 2000

    def logits(batch):
        xt = a ** 0.5 * (2 * (batch + torch.randn_like(batch) * 0.5) - 1)
        eps = unet(xt, torch.full((batch.size(0),), t, dtype=torch.long))
        x0 = ((xt - (1 - a) ** 0.5 * eps) / a ** 0.5).clamp(-1, 1)
        return lenet_model((x0 + 1) / 2)

    def count():
        return sample_counts(x, samples, logits)
    measure("certification diffusion one-shot", "lenet+ddpm", "samples/s", count)


def pgd_smooth(model, x, y, noise, eps, steps, m):
    """SmoothAdv's PGD on objective (S): zero start, normalised gradient steps 2 eps / T, clamp, project."""
    delta = torch.zeros_like(x, requires_grad=True)
    step = 2 * eps / steps
    for _ in range(steps):
        adv = (x + delta).repeat_interleave(m, 0) + noise
        logits = model(adv)
        probs = F.softmax(logits, 1).view(x.size(0), m, -1).mean(1)
        loss = F.nll_loss(torch.log(probs.clamp_min(1e-20)), y)
        grad, = torch.autograd.grad(loss, delta)
        norms = grad.view(x.size(0), -1).norm(dim=1).view(-1, 1, 1, 1).clamp_min(1e-12)
        delta.data.add_(step * grad / norms)
        delta.data = (x + delta.data).clamp(0, 1) - x
        delta.data.renorm_(p=2, dim=0, maxnorm=eps)
    return delta.detach()


def training(arch, method):
    build, shape = MODELS[arch]
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)
    batch, steps = 128, 1 if arch.startswith("resnet") else 5
    x = torch.rand(batch, *shape)
    y = torch.arange(batch) % 10
    m = 2

    def work():
        for _ in range(steps):
            if method == "gaussian":
                inputs, targets = x + torch.randn_like(x) * 0.25, y
            else:
                noise = torch.randn(batch * m, *shape) * 0.25
                model.eval()
                for p in model.parameters():
                    p.requires_grad_(False)
                delta = pgd_smooth(model, x, y, noise, 0.5, 2, m)
                model.train()
                for p in model.parameters():
                    p.requires_grad_(True)
                inputs, targets = (x + delta).repeat_interleave(m, 0) + noise, y.repeat_interleave(m)
            model.train()
            loss = F.cross_entropy(model(inputs), targets)
            opt.zero_grad()
            loss.backward()
            opt.step()
        return float(steps * batch)
    measure("training " + method, arch, "images/s", work)


# the models of the attack-gradient rows (also run alone with --attack-gradients), as Bench.java's
ATTACK_GRADIENT_MODELS = ("lenet", "resnet20", "resnet110")


def attack_gradient(arch):
    """An attack step's gradient: d(summed cross-entropy)/d(input) of 256 noisy copies, eval mode, no parameter
    gradients (as the reference's attacks run with the model in eval mode)."""
    build, shape = MODELS[arch]
    model = build().eval()
    for p in model.parameters():
        p.requires_grad_(False)
    rows, steps = 256, 1 if arch.startswith("resnet") else 5
    x = torch.rand(rows, *shape)
    y = torch.arange(rows) % 10

    def work():
        for _ in range(steps):
            inputs = x.clone().requires_grad_(True)
            loss = F.cross_entropy(model(inputs), y, reduction="sum")
            torch.autograd.grad(loss, inputs)
        return float(steps * rows)
    measure("attack input gradient", arch, "copies/s", work)


# The rows of a full run, in order: (quantity, model) and the function that measures it.
ROWS = ([(["gaussian sampling", "-"], normals), (["sgemm peak", "2048^3"], sgemm)]
        + [(["certification", a], lambda a=a: certification(a)) for a in ("lenet", "mlp", "resnet20", "resnet110")]
        + [(["training " + m, a], lambda a=a, m=m: training(a, m))
           for a in ("lenet", "mlp", "resnet20", "resnet110") for m in ("gaussian", "smoothadv")]
        + [(["attack input gradient", a], lambda a=a: attack_gradient(a)) for a in ATTACK_GRADIENT_MODELS]
        + [(["certification diffusion one-shot", "lenet+ddpm"], diffusion_certification)])
# --training: the ResNet training rows alone (as Bench.java --training)
TRAINING_ROWS = [(k, f) for k, f in ROWS if k[0].startswith("training") and k[1].startswith("resnet")]
# --sequential: the LeNet certification row alone, the reference rate of the sequential rows (as Bench.java --sequential)
SEQUENTIAL_ROWS = [(k, f) for k, f in ROWS if k == ["certification", "lenet"]]
# --diffusion: the diffusion pipeline's row and the plain LeNet certification row it is read against
DIFFUSION_ROWS = [(k, f) for k, f in ROWS if k in (["certification", "lenet"], ["certification diffusion one-shot",
                                                                                "lenet+ddpm"])]


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--attack-gradients":
        for a in ATTACK_GRADIENT_MODELS:
            attack_gradient(a)
        sys.exit(0)
    if len(sys.argv) > 2 and sys.argv[1] == "--export":
        export(sys.argv[2])
        sys.exit(0)
    rows = (TRAINING_ROWS if "--training" in sys.argv[1:] else SEQUENTIAL_ROWS if "--sequential" in sys.argv[1:]
            else DIFFUSION_ROWS if "--diffusion" in sys.argv[1:] else ROWS)
    if "--list" in sys.argv[1:]:  # the measured rows' keys, in order (benchmarks/alternate.py)
        for key, _ in rows:
            print(json.dumps(key))
        sys.exit(0)
    for _, row in rows:
        row()
