#!/usr/bin/env bash
# results/diffusion: diffusion denoised smoothing (Carlini et al., ICLR 2023) of a classifier trained WITHOUT noise.
# The classifier is results/denoised's PyTorch LeNet (models/lenet-plain.onnx: 2 clean epochs, 0.873 clean test
# accuracy), a black box through ONNX Runtime; the diffusion model is models/ddpm-fashion.onnx, a DDPM noise
# predictor of the Fashion-MNIST training images made by make-diffusion-onnx.py (neither knows about the other,
# nor about smoothing). For sigma = 0.25, 0.5 and 1.0 on the same test images:
#   plain-SIGMA       the LeNet alone
#   diffusion-SIGMA   the LeNet behind the diffusion model, one shot (--denoiser ... --diffusion)
#   dncnn-stab-1.0    the LeNet behind a Stab+MSE DnCNN trained for it (results/denoised's recipe, at sigma 1.0)
# and, from logs committed elsewhere (the same certification of the same images, rows picked by awk):
#   dncnn-stab-0.25, dncnn-stab-0.5   results/denoised/onnx-stab-SIGMA.tsv (its Stab+MSE DnCNN)
#   ceiling-SIGMA                     results/norms/gaussian-l1-SIGMA.tsv (a LeNet trained with Gaussian noise)
# Multi-step (sigma = 0.5, 20 images, n = 1,000): one shot against --denoise-steps 10 (ancestral sampling on 10
# steps from t* down to 0; a step costs one diffusion call per noise sample).
# Certification: CERTIFY on 100 test images (every 100th: a subset of the 500 of results/denoised and results/norms,
# each example with its own noise stream, so the rows taken from there are what this run would draw), n0 = 100,
# n = 10,000, alpha = 0.001, seed 0.
#   results/diffusion/run.sh            (from the repository root; resumable: rerun after a kill)
set -euo pipefail
cd "$(dirname "$0")/../.."
S=${SMOOTHING4J:-bin/smoothing4j}
R=results/diffusion
M=$R/models
LENET=results/denoised/models/lenet-plain.onnx
DDPM=$M/ddpm-fashion.onnx
mkdir -p $M
[ -f $LENET ] || /usr/bin/python3 results/denoised/make-lenet-onnx.py $LENET
[ -f $DDPM ] || /usr/bin/python3 $R/make-diffusion-onnx.py $DDPM 2> $M/ddpm-fashion.log
resume() { [ -f "$1" ] && echo --resume || true; }
CERT="--dataset fashion-mnist --skip 100 --n0 100 --n 10000 --alpha 0.001 --seed 0"
certify() { # name, certify arguments...
  local name=$1; shift
  /usr/bin/time -f "$name certify %e s" $S certify "$@" --out $R/$name.tsv $(resume $R/$name.tsv) 2>&1 \
    | grep -v "^certify.*%" || true
}
pick() { # the rows of a 500-image log (every 20th) on this run's images (every 100th), with its settings
  awk -F'\t' 'NR == 1 || $1 % 100 == 0' "$1" > "$2"
  cp "$1.json" "$2.json"
}
for sigma in 0.25 0.5 1.0; do
  certify plain-$sigma $CERT --model $LENET --sigma $sigma
  certify diffusion-$sigma $CERT --model $LENET --denoiser $DDPM --diffusion --sigma $sigma
  pick results/norms/gaussian-l1-$sigma.tsv $R/ceiling-$sigma.tsv
done
for sigma in 0.25 0.5; do pick results/denoised/onnx-stab-$sigma.tsv $R/dncnn-stab-$sigma.tsv; done
DEN="--dataset fashion-mnist --depth 5 --width 16 --train-size 10000 --batch 64 --eval-size 1000 --seed 0"
/usr/bin/time -f "dncnn-stab-1.0 denoise %e s" $S denoise $DEN --classifier $LENET --sigma 1.0 \
  --objective stab-mse --mse-epochs 2 --epochs 3 --finetune-lr 1e-4 --grad stein --out $M/dncnn-stab-1.0 \
  $(resume $M/dncnn-stab-1.0/denoiser.zip) > $M/dncnn-stab-1.0.log 2>&1
certify dncnn-stab-1.0 $CERT --model $LENET --denoiser $M/dncnn-stab-1.0 --sigma 1.0
MULTI="--dataset fashion-mnist --skip 500 --n0 100 --n 1000 --alpha 0.001 --seed 0"
certify multi-oneshot-0.5 $MULTI --model $LENET --denoiser $DDPM --diffusion --sigma 0.5
certify multi-10steps-0.5 $MULTI --model $LENET --denoiser $DDPM --diffusion --denoise-steps 10 --sigma 0.5
