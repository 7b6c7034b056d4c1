#!/usr/bin/env python3
"""Paired comparison of two certification logs of the same test images (results/diffusion/README.md, Reading).

For each radius r: the examples certified at r (correct and radius >= r) by log A and not by log B, and the other
way round, and the exact two-sided sign test on those discordant pairs (binomial(k, 1/2): p = min(1, 2 P[X <= min])).
The logs must hold the same images (idx column), which the settings of results/diffusion/run.sh give (one noise
stream per example index); with --common, a log still being filled (a resumable run stopped part way) is compared
on the images both hold. No correction for testing several radii.

    results/diffusion/paired.py [--common] A.tsv B.tsv [RADII]   (RADII: comma-separated, default 0,0.25,0.5,0.75,1,1.5)
"""
import csv
import sys
from math import comb


def certified(path, radii):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    if not rows or not {"idx", "radius", "correct"} <= rows[0].keys():
        sys.exit(f"paired.py: {path}: expected a certify log with the columns idx, radius, correct")
    return {int(r["idx"]): [r["correct"] == "1" and float(r["radius"]) >= x for x in radii] for r in rows}


def sign_test(a, b):
    k = a + b
    if k == 0:
        return 1.0
    return min(1.0, 2 * sum(comb(k, i) for i in range(min(a, b) + 1)) / 2 ** k)


def main(argv):
    common = "--common" in argv[1:]
    argv = [x for x in argv if x != "--common"]
    if len(argv) not in (3, 4):
        sys.exit(__doc__)
    radii = [float(x) for x in (argv[3] if len(argv) == 4 else "0,0.25,0.5,0.75,1,1.5").split(",")]
    a, b = certified(argv[1], radii), certified(argv[2], radii)
    if common:
        a = {i: a[i] for i in a if i in b}
        b = {i: b[i] for i in a}
        if not a:
            sys.exit(f"paired.py: {argv[1]} and {argv[2]} have no image in common")
    elif a.keys() != b.keys():
        sys.exit(f"paired.py: {argv[1]} and {argv[2]} hold different images ({len(a)} and {len(b)} rows); "
                 "--common compares the images both hold")
    print(f"{len(a)} images; A = {argv[1]}, B = {argv[2]}")
    print("radius\tA only\tB only\tp (two-sided sign test)")
    for j, r in enumerate(radii):
        only_a = sum(1 for i in a if a[i][j] and not b[i][j])
        only_b = sum(1 for i in a if b[i][j] and not a[i][j])
        print(f"{r:g}\t{only_a}\t{only_b}\t{sign_test(only_a, only_b):.2g}")


if __name__ == "__main__":
    main(sys.argv)
