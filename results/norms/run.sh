#!/usr/bin/env bash
# results/norms: L1 and L-infinity certificates on Fashion-MNIST LeNets trained with Gaussian, Laplace and uniform
# noise at per-coordinate standard deviation sigma = 0.25, 0.5, 1.0 (equal variance across families: Laplace scale
# sigma/sqrt2, uniform half-width sqrt3 sigma; Yang et al. 2020's parameterisation), each certified on the same 500
# test images (every 20th) by CERTIFY with n0 = 100, n = 10,000, alpha = 0.001, seed 0:
#   L1:    Gaussian (= its L2 radius), Laplace (Teng et al. 2020), uniform (Yang et al. 2020), uniform in the [0,1] box
#          (--box, Voracek & Hein 2023), and Levine & Feizi's deterministic certificate (--deterministic-l1) on LeNets
#          trained with their splitting noise (--method dssn: one random shift per image)
#   L-inf: every family's --norm linf radius
#   results/norms/run.sh            (from the repository root; resumable: rerun after a kill)
# Training: the notebooks' quick schedule as results/recipes (3 epochs of the 60,000 training images, lr 0.02, x0.1
# for the third, batch 256, Nesterov momentum 0.9, weight decay 1e-4, seed 1), --method gaussian (noise augmentation)
# with --noise FAMILY; --method dssn for the deterministic certificate.
set -euo pipefail
cd "$(dirname "$0")/../.."
S=${SMOOTHING4J:-bin/smoothing4j}
R=results/norms
mkdir -p $R/models
COMMON="--dataset fashion-mnist --arch lenet --epochs 3 --lr 0.02 --lr-step 2 --batch 256 --seed 1"
CERT="--dataset fashion-mnist --skip 20 --n0 100 --n 10000 --alpha 0.001 --seed 0"
run() { # name, command...
  local name=$1; shift
  local resume=""; [ -f $R/$name.tsv ] && resume="--resume"
  /usr/bin/time -f "$name %e s" "$@" --out $R/$name.tsv $resume 2>&1 | grep -v "^certify\|%" || true
}
for sigma in 0.5 0.25 1.0; do
  for noise in gaussian laplace uniform; do
    out=$R/models/$noise-$sigma
    resume=""; [ -f $out/model.zip ] && resume="--resume"
    /usr/bin/time -f "$noise-$sigma train %e s" $S train $COMMON --sigma $sigma --noise $noise --out $out $resume \
      > $R/models/$noise-$sigma.train.log 2>&1
  done
  out=$R/models/dssn-$sigma
  resume=""; [ -f $out/model.zip ] && resume="--resume"
  /usr/bin/time -f "dssn-$sigma train %e s" $S train $COMMON --sigma $sigma --method dssn --out $out $resume \
    > $R/models/dssn-$sigma.train.log 2>&1
  for noise in gaussian laplace uniform; do
    run $noise-l1-$sigma $S certify $CERT --model $R/models/$noise-$sigma/model.zip --sigma $sigma --noise $noise --norm l1
  done
  run uniform-box-l1-$sigma $S certify $CERT --model $R/models/uniform-$sigma/model.zip --sigma $sigma --noise uniform \
    --norm l1 --box
  run dssn-l1-$sigma $S certify --dataset fashion-mnist --skip 20 --model $R/models/dssn-$sigma/model.zip \
    --sigma $sigma --deterministic-l1
done
for sigma in 0.5 0.25 1.0; do
  for noise in gaussian laplace uniform; do
    run $noise-linf-$sigma $S certify $CERT --model $R/models/$noise-$sigma/model.zip --sigma $sigma --noise $noise \
      --norm linf
  done
done
echo "norms: done"
