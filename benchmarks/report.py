#!/usr/bin/python3
"""Merges the JSON lines of Bench.java (smoothing4j) and bench_torch.py (PyTorch) into the table of
results/bench.md: medians with min-max over the repetitions, ratios smoothing4j/PyTorch and the issue's targets.
   report.py JAVA.jsonl TORCH.jsonl MACHINE.txt OUT.md"""
import json
import sys


def load(path):
    rows = {}
    with open(path) as f:
        for line in f:
            if line.startswith("{"):
                r = json.loads(line)
                rows[(r["quantity"], r["model"])] = r
    return rows


java, torch, machine, out = load(sys.argv[1]), load(sys.argv[2]), open(sys.argv[3]).read().strip(), sys.argv[4]
TARGETS = {("certification", "lenet"): 2.0, ("certification", "mlp"): 1.0,
           ("certification", "resnet20"): 1.3, ("certification", "resnet110"): 1.3,
           ("certification onnx", "resnet110"): 1.3,
           ("training gaussian", "lenet"): 1.0, ("training smoothadv", "lenet"): 1.0,
           ("training gaussian", "mlp"): 1.0, ("training smoothadv", "mlp"): 1.0,
           ("training gaussian", "resnet20"): 1.0, ("training smoothadv", "resnet20"): 1.0,
           ("attack input gradient", "resnet20"): 1.3, ("attack input gradient", "resnet110"): 1.3}


def cell(r):
    if r is None:
        return "-"
    spread = 100 * (r["max"] - r["min"]) / r["median"] if r["median"] else 0
    return f"{r['median']:.4g} ({r['min']:.3g}-{r['max']:.3g}, {spread:.0f}%)"


lines = ["| quantity | model | unit | smoothing4j median (min-max, spread) | PyTorch median (min-max, spread) | ratio | "
         "target | met |",
         "|---|---|---|---:|---:|---:|---:|:---:|"]
for key, j in java.items():
    if key[0] == "early abstention" or key[0].startswith("sequential certify"):
        continue
    if key[0].startswith("certification, standard (alternating"):
        continue  # the reference of the sound row below
    if key[0] == "certification, sound (--sound)":  # against the standard mode, alternating in the same JVM
        t = java.get(("certification, standard (alternating with sound)", key[1]))
        ratio = j["median"] / t["median"] if t else None
        lines.append(f"| {key[0]} | {key[1]} | {j['unit']} | {cell(j)} | {cell(t)} (smoothing4j, standard mode) | "
                     f"{'-' if ratio is None else f'{ratio:.2f}x'} | >= 0.9x | "
                     f"{'' if ratio is None else ('yes' if ratio >= 0.9 else 'no')} |")
        continue
    # PyTorch has one Gaussian sampler ("-"); smoothing4j's two (ND4J's, the ziggurat) are each compared with it
    t = torch.get(key) or (torch.get((key[0], "-")) if key[0] == "gaussian sampling" else None)
    if key[0].startswith("certification onnx") or key[0].startswith("certification, direct"):  # same model in PyTorch
        t = torch.get(("certification", key[1]))
    ratio = j["median"] / t["median"] if t else None
    target = TARGETS.get(key)
    met = "" if target is None or ratio is None else ("yes" if ratio >= target else "no")
    lines.append(f"| {key[0]} | {key[1]} | {j['unit']} | {cell(j)} | {cell(t)} | "
                 f"{'-' if ratio is None else f'{ratio:.2f}x'} | {'' if target is None else f'>= {target}x'} | {met} |")
# Sequential CERTIFY (issue 16) against the reference's CERTIFY at n = 100,000: its samples per example are exact
# (n0 + n = 100,100); its examples per second follow from PyTorch's measured LeNet certification rate.
CERTIFY_SAMPLES = 100_100
torch_rate = torch.get(("certification", "lenet"))
for key, j in java.items():
    if key[0] == "sequential certify samples" and "missing" not in j:
        ratio = CERTIFY_SAMPLES / j["median"]
        lines.append(f"| sequential CERTIFY, radii 0-1.5 | {key[1]} | samples per example | {j['median']:,.0f} | "
                     f"{CERTIFY_SAMPLES:,} (CERTIFY, n = 100,000) | {ratio:.2f}x fewer | >= 10x | "
                     f"{'yes' if ratio >= 10 else 'no'} |")
    elif key[0] == "sequential certify time" and torch_rate:
        t = torch_rate["median"] / CERTIFY_SAMPLES
        lines.append(f"| sequential CERTIFY, radii 0-1.5 | {key[1]} | examples/s | {j['median']:.3g} | "
                     f"{t:.3g} (CERTIFY, n = 100,000, at its LeNet rate) | {j['median'] / t:.1f}x |  |  |")
peak = java.get(("sgemm peak", "2048^3"))
fractions = []
for model in ("lenet", "mlp", "resnet20", "resnet110"):
    for side, rows in (("smoothing4j", java), ("PyTorch", torch)):
        c = rows.get(("certification compute", model))
        p = rows.get(("sgemm peak", "2048^3"))
        if c and p:
            fractions.append(f"| {model} | {side} | {c['median']:.3g} | {p['median']:.3g} | "
                             f"{100 * c['median'] / p['median']:.0f}% |")
early = java.get(("early abstention", "lenet"))
text = ["# Benchmark: smoothing4j vs PyTorch on the same machine", "", "Machine and settings:", "", "```", machine, "```",
        "", "Each row's warm-ups and repetitions alternate between the two sides (benchmarks/alternate.py), so a change "
        "of the machine's load reaches both sides of a ratio; spread = (max - min) / median over the repetitions.", "",
        "\n".join(lines), ""]
if fractions:  # not in a run of the training rows alone (bench --training)
    text += [
        "Forward passes in certification as a fraction of each side's own sgemm peak (target: LeNet >= 40%):", "",
        "| model | side | achieved GFLOP/s | sgemm peak GFLOP/s | fraction |", "|---|---|---:|---:|---:|",
        "\n".join(fractions), "",
        "smoothing4j's sgemm row is ND4J's gemm on OpenBLAS (OPENBLAS_CORETYPE=Haswell, AVX2), while its "
        "convolutions run on oneDNN's AVX-512 kernels and imported graphs on ONNX Runtime's, so a fraction above 100% "
        "means the forward pass outruns ND4J's own gemm, not a counting error (the FLOP counts are the same on both "
        "sides; the sgemm row's own spread is in the table above).", ""]
if early and "missing" in early:
    text += [f"Early abstention in CERTIFY: not measured in this run (no Gaussian LeNet at {early['missing']}).", ""]
elif early:
    text += [f"Early abstention in CERTIFY (Gaussian LeNet, sigma 0.5, {early['file']}; n = 10,000, alpha = 0.001, "
             f"{early['images']} Fashion-MNIST test images, {early['abstained']} abstentions): the second stage drew "
             f"{100 * early['median']:.1f}% of the samples of a full run, with identical logged rows "
             f"(CertifyRunTest).", ""]
seq = java.get(("sequential certify samples", "lenet"))
if seq and "missing" in seq:
    text += [f"Sequential CERTIFY: not measured in this run (no Gaussian LeNet at {seq['missing']}).", ""]
elif seq:
    text += [f"Sequential CERTIFY rows: {seq['images']} Fashion-MNIST test images (every 50th), the model {seq['file']}, "
             "sigma 0.5, alpha 0.001, n0 100, n_max 100,000, radii 0, 0.25, ..., 1.5; one pass each, plain and with "
             "futility 0.2, 0.5 and 0.8, and with --bound betting (the sample counts are exact, the times one measurement). Futility stopping "
             "gives up on examples whose pA lies close to a threshold, so it trades radius decisions for samples; the "
             "certified accuracies of each setting against CERTIFY's on 500 images: results/sequential/README.md.", ""]
open(out, "w").write("\n".join(text))
print("\n".join(text))
