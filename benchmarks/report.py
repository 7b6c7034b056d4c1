#!/usr/bin/python3
"""Merges the JSON lines of Bench.java (smoothing4j) and bench_torch.py (PyTorch) into the table of
results/bench.md: medians with min-max over the repetitions, ratios smoothing4j/PyTorch and the issue's targets.
   report.py JAVA.jsonl TORCH.jsonl MACHINE.txt OUT.md"""
import json
import os
import re
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


def fma_peak():
    """The machine's single-precision FMA peak in GFLOP/s, and how it was found: threads x vector lanes x 2 FMA units
    x 2 FLOPs per FMA x clock, from /proc/cpuinfo (the widest vector extension among its flags: avx512f 16 float
    lanes, avx2 with fma 8, else sse 4; the clock its 'cpu MHz', the current or, in a virtual machine, the host's
    nominal clock). Two full-width FMA units per core is an assumption (Intel server cores since Skylake-SP have
    two, as do AMD's Zen 5 server cores; Zen 4 runs AVX-512 on two 256-bit units, half this figure per clock,
    but boosts above the nominal clock): a row above 100% means the assumption or the clock is off, not the FLOP count."""
    info = open("/proc/cpuinfo").read()
    flags = set(re.search(r"^flags\s*:(.*)$", info, re.M).group(1).split())
    model = re.search(r"^model name\s*:(.*)$", info, re.M).group(1).strip()
    lanes, ext = (16, "avx512f") if "avx512f" in flags else (8, "avx2+fma") if "avx2" in flags and "fma" in flags \
        else (4, "sse")
    mhz = float(re.search(r"^cpu MHz\s*:(.*)$", info, re.M).group(1))
    threads = int(os.environ.get("OMP_NUM_THREADS", os.cpu_count()))
    gflops = threads * lanes * 2 * 2 * mhz / 1000
    how = (f"{threads} threads x {lanes} float lanes ({ext}) x 2 FMA units x 2 FLOPs x {mhz / 1000:.2f} GHz "
           f"(/proc/cpuinfo: {model})")
    return gflops, how


def report_rows(path):
    """A committed report's date, CPU model and medians by (quantity, model, side)."""
    text = open(path).read()
    date = re.search(r"^date: (\S+)", text, re.M)
    cpu = re.search(r"^cpu: (.*?) x \d+ cores", text, re.M)
    med = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 6 and re.match(r"^[0-9.e+]+ \(", cells[3] or ""):
            for side, cell_text in (("smoothing4j", cells[3]), ("PyTorch", cells[4])):
                m = re.match(r"^([0-9.e+]+) \(", cell_text)
                if m:
                    med[(cells[0], cells[1], side)] = float(m.group(1))
    return (date.group(1) if date else ""), (cpu.group(1) if cpu else None), med


def earlier_runs(folder, cpu, before):
    """Each row's best median in an earlier run on the same CPU model, among the committed reports of `folder`
    (results/bench.md and the partial runs bench-training.md, bench-sequential.md, bench-diffusion.md, as they stood
    before this run wrote its own), with that run's date: {(quantity, model, side): (median, date)}. The best, not
    the latest: a baseline weak in two runs in a row is still weak against what the same side reached here before."""
    rows = {}
    for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
        if not re.fullmatch(r"bench(-[a-z]+)?\.md", name) or name == "bench-runs.md":  # a report, not the history
            continue
        date, run_cpu, med = report_rows(os.path.join(folder, name))
        if run_cpu != cpu or not date or date >= before:
            continue
        for key, value in med.items():
            if key not in rows or rows[key][0] < value:
                rows[key] = (value, date)
    return rows


this_cpu = re.search(r"^cpu: (.*?) x \d+ cores", machine, re.M)
this_date = re.search(r"^date: (\S+)", machine, re.M)
old = earlier_runs(os.path.dirname(os.path.abspath(out)), this_cpu.group(1) if this_cpu else None,
                   this_date.group(1) if this_date else "~")
fma, fma_how = fma_peak()
flags = {}  # (quantity, model) -> the baseline check's words for the PyTorch side


def check_against_last(key, side, r):
    """A row at under 0.6x the best rate its own side reached in an earlier run on this CPU model (e.g. a loaded or
    throttled baseline) is flagged."""
    if r is not None and (key[0], key[1], side) in old:
        before, date = old[(key[0], key[1], side)]
        if before > 0 and r["median"] < 0.6 * before:
            flags.setdefault(key, []).append(f"{side} {r['median'] / before:.2f}x its run of {date} ({before:.4g})")


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


# PyTorch's inference against its own training, per FLOP: certification (a forward pass per sample) should run at
# least as many GFLOP/s as a training step (forward, backward, update: about 3 forward passes of FLOPs per image).
for model in ("lenet", "mlp", "resnet20", "resnet110"):
    c, rate, train = (torch.get(("certification compute", model)), torch.get(("certification", model)),
                      torch.get(("training gaussian", model)))
    if c and rate and train and rate["median"] > 0:
        train_gflops = train["median"] * 3 * c["median"] / rate["median"]
        if c["median"] < 0.5 * train_gflops:
            flags.setdefault(("certification", model), []).append(
                f"PyTorch inference {c['median']:.3g} GFLOP/s, {c['median'] / train_gflops:.2f}x its own training's "
                f"{train_gflops:.3g}")

lines = ["| quantity | model | unit | smoothing4j median (min-max, spread) | PyTorch median (min-max, spread) | ratio | "
         "target | met | baseline check |",
         "|---|---|---|---:|---:|---:|---:|:---:|---|"]
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
                     f"{'' if ratio is None else ('yes' if ratio >= 0.9 else 'no')} |  |")
        continue
    # PyTorch has one Gaussian sampler ("-"); smoothing4j's two (ND4J's, the ziggurat) are each compared with it
    t = torch.get(key) or (torch.get((key[0], "-")) if key[0] == "gaussian sampling" else None)
    if key[0].startswith("certification onnx") or key[0].startswith("certification, direct"):  # same model in PyTorch
        t = torch.get(("certification", key[1]))
    ratio = j["median"] / t["median"] if t else None
    target = TARGETS.get(key)
    met = "" if target is None or ratio is None else ("yes" if ratio >= target else "no")
    check_against_last(key, "smoothing4j", j)
    check_against_last(key, "PyTorch", t)
    # the compute row is the certification run in GFLOP/s: it carries that row's words
    note = "; ".join(flags.get(("certification", key[1]) if key[0] == "certification compute" else key, []))
    lines.append(f"| {key[0]} | {key[1]} | {j['unit']} | {cell(j)} | {cell(t)} | "
                 f"{'-' if ratio is None else f'{ratio:.2f}x'} | {'' if target is None else f'>= {target}x'} | {met} | "
                 f"{'WEAK BASELINE: ' + note if note and 'PyTorch' in note else note} |")
# Sequential CERTIFY (issue 16) against the reference's CERTIFY at n = 100,000: its samples per example are exact
# (n0 + n = 100,100); its examples per second follow from PyTorch's measured LeNet certification rate.
CERTIFY_SAMPLES = 100_100
torch_rate = torch.get(("certification", "lenet"))
for key, j in java.items():
    if key[0] == "sequential certify samples" and "missing" not in j:
        ratio = CERTIFY_SAMPLES / j["median"]
        lines.append(f"| sequential CERTIFY, radii 0-1.5 | {key[1]} | samples per example | {j['median']:,.0f} | "
                     f"{CERTIFY_SAMPLES:,} (CERTIFY, n = 100,000) | {ratio:.2f}x fewer | >= 10x | "
                     f"{'yes' if ratio >= 10 else 'no'} |  |")
    elif key[0] == "sequential certify time" and torch_rate:
        t = torch_rate["median"] / CERTIFY_SAMPLES
        lines.append(f"| sequential CERTIFY, radii 0-1.5 | {key[1]} | examples/s | {j['median']:.3g} | "
                     f"{t:.3g} (CERTIFY, n = 100,000, at its LeNet rate) | {j['median'] / t:.1f}x |  |  |  |")
peak = java.get(("sgemm peak", "2048^3"))
fractions = []
for model in ("lenet", "mlp", "resnet20", "resnet110"):
    for side, rows in (("smoothing4j", java), ("PyTorch", torch)):
        c = rows.get(("certification compute", model))
        p = rows.get(("sgemm peak", "2048^3"))
        if c and p:
            fractions.append(f"| {model} | {side} | {c['median']:.3g} | {p['median']:.3g} | "
                             f"{100 * c['median'] / p['median']:.0f}% |")
# Every compute row as a fraction of the machine's FMA peak, both sides: sgemm, certification's forward passes, and a
# training step (forward, backward and update counted as 3 forward passes of FLOPs per image; SmoothAdv's attack
# steps are not counted, so its fraction is a lower bound).
peak_rows, over_peak = [], False
for quantity, model in [("sgemm peak", "2048^3")] + [(q, m) for q in ("certification", "training gaussian",
                                                                      "training smoothadv")
                                                        for m in ("lenet", "mlp", "resnet20", "resnet110")]:
    cells = []
    for rows in (java, torch):
        if quantity == "sgemm peak":
            r = rows.get((quantity, model))
            g = r["median"] if r else None
        else:
            c, rate = rows.get(("certification compute", model)), rows.get(("certification", model))
            r = rows.get((quantity, model))
            per = c["median"] / rate["median"] if c and rate and rate["median"] else None  # GFLOP per forward pass
            g = None if r is None or per is None else r["median"] * per * (1 if quantity == "certification" else 3)
        cells.append("-" if g is None else f"{g:.3g} ({100 * g / fma:.0f}%)")
        over_peak = over_peak or (g is not None and g > fma)
    if cells != ["-", "-"]:
        peak_rows.append(f"| {quantity} | {model} | {cells[0]} | {cells[1]} |")
early = java.get(("early abstention", "lenet"))
text = ["# Benchmark: smoothing4j vs PyTorch on the same machine", "", "Machine and settings:", "", "```", machine, "```",
        "", "Each row's warm-ups and repetitions alternate between the two sides (benchmarks/alternate.py), so a change "
        "of the machine's load reaches both sides of a ratio; spread = (max - min) / median over the repetitions.", "",
        "\n".join(lines), ""]
text += [f"Compute rows as a fraction of the machine's single-precision FMA peak, {fma:.0f} GFLOP/s = {fma_how}:", "",
         "| quantity | model | smoothing4j GFLOP/s (of peak) | PyTorch GFLOP/s (of peak) |", "|---|---|---:|---:|",
         "\n".join(peak_rows), ""]
if over_peak:  # the clock of /proc/cpuinfo is the nominal one; a boosting core runs faster
    text += ["A row above 100% means the estimate is too low for this machine, not that a side beats the hardware: "
             "the clock read from /proc/cpuinfo is its nominal one and the cores boost above it (or the vector units "
             "differ from the assumption above). Read the fractions then as relative to each other, not as absolute.",
             ""]
text += ["Baseline check (last column of the first table): a PyTorch row is WEAK when its certification runs at under "
         "half the GFLOP/s of its own training step on the same model (inference is the easier workload), or when any "
         "row falls under 0.6x the best rate its own side reached in an earlier run on the same CPU model among "
         "the committed reports (results/bench*.md: "
         + (f"{len(old)} side-rows of runs on {this_cpu.group(1)} from {min(d for _, d in old.values())} to "
            f"{max(d for _, d in old.values())}" if old else "no earlier run on this CPU model to compare with")
         + "). Where "
         "a baseline is weak, read smoothing4j's fraction of peak (an absolute figure) rather than the ratio.", ""]
if fractions:  # not in a run of the training rows alone (bench --training)
    text += [
        "Forward passes in certification as a fraction of each side's own sgemm peak (target: LeNet >= 40%):", "",
        "| model | side | achieved GFLOP/s | sgemm peak GFLOP/s | fraction |", "|---|---|---:|---:|---:|",
        "\n".join(fractions), "",
        f"smoothing4j's sgemm row is ND4J's gemm on OpenBLAS (OPENBLAS_CORETYPE="
        f"{os.environ.get('OPENBLAS_CORETYPE', 'unset')}), while its "
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
