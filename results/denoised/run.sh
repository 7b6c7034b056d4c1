#!/usr/bin/env bash
# results/denoised: denoised smoothing (Salman et al. 2020) of two Fashion-MNIST LeNets trained WITHOUT noise:
#   onnx   the PyTorch LeNet of make-lenet-onnx.py (models/lenet-plain.onnx, 2 clean epochs), a black box: its
#          stability denoiser is trained with Stein estimates (q = 192 queries per image and step, mu = 0.005)
#   native a smoothing4j LeNet trained 3 clean epochs (train --sigma 0, the quick schedule of results/recipes): its
#          stability denoiser is trained by backprop through it
# For sigma = 0.5 and 0.25 each is certified plain, behind an MSE denoiser and behind a stability (Stab+MSE)
# denoiser. The ceiling is the Gaussian-trained LeNet of results/norms (the same schedule with noise), whose
# gaussian-l1-SIGMA.tsv logs are this certification of it (same images, n, seed; the Gaussian L1 radius printed there
# is the L2 radius sigma Phi^-1(pA)).
# Denoisers: DnCNN depth 5, width 16 (the library's default 8/32 certifies at 2,400 images/s here through ONNX
# Runtime, a quarter of 5/16's 10,000: 35 min instead of 9 per run of 500 images at n = 10,000); the first 10,000
# training images; Adam, batch 64;
#   mse:  2 epochs of MSE at lr 1e-3
#   stab: --objective stab-mse: the same 2 MSE epochs, then 1 epoch of stability at lr 1e-4 (Salman et al. fine-tune
#         at 1e-4 or 1e-5 for 20 epochs)
# Certification: CERTIFY on 500 test images (every 20th), n0 = 100, n = 10,000, alpha = 0.001, seed 0, as
# results/norms and results/sound.
#   results/denoised/run.sh            (from the repository root; resumable: rerun after a kill)
set -euo pipefail
cd "$(dirname "$0")/../.."
S=${SMOOTHING4J:-bin/smoothing4j}
R=results/denoised
M=$R/models
mkdir -p $M
[ -f $M/lenet-plain.onnx ] || /usr/bin/python3 $R/make-lenet-onnx.py $M/lenet-plain.onnx
resume() { [ -f "$1" ] && echo --resume || true; }
/usr/bin/time -f "native train %e s" $S train --dataset fashion-mnist --arch lenet --epochs 3 --lr 0.02 --lr-step 2 \
  --batch 256 --seed 1 --sigma 0 --out $M/lenet-plain-native $(resume $M/lenet-plain-native/model.zip) \
  > $M/lenet-plain-native.train.log 2>&1
DEN="--dataset fashion-mnist --depth 5 --width 16 --train-size 10000 --batch 64 --eval-size 1000 --seed 0"
CERT="--dataset fashion-mnist --skip 20 --n0 100 --n 10000 --alpha 0.001 --seed 0"
certify() { # name, certify arguments...
  local name=$1; shift
  /usr/bin/time -f "$name certify %e s" $S certify $CERT "$@" --out $R/$name.tsv $(resume $R/$name.tsv) 2>&1 \
    | grep -v "^certify.*%" || true
}
for sigma in 0.5 0.25; do
  for clf in onnx native; do
    if [ $clf = onnx ]; then model=$M/lenet-plain.onnx; grad=stein; else model=$M/lenet-plain-native/model.zip; grad=backprop; fi
    /usr/bin/time -f "$clf-mse-$sigma denoise %e s" $S denoise $DEN --classifier $model --sigma $sigma --objective mse \
      --epochs 2 --out $M/$clf-mse-$sigma $(resume $M/$clf-mse-$sigma/denoiser.zip) > $M/$clf-mse-$sigma.log 2>&1
    /usr/bin/time -f "$clf-stab-$sigma denoise %e s" $S denoise $DEN --classifier $model --sigma $sigma \
      --objective stab-mse --mse-epochs 2 --epochs 3 --finetune-lr 1e-4 --grad $grad --out $M/$clf-stab-$sigma \
      $(resume $M/$clf-stab-$sigma/denoiser.zip) > $M/$clf-stab-$sigma.log 2>&1
    certify $clf-plain-$sigma --model $model --sigma $sigma
    certify $clf-mse-$sigma --model $model --denoiser $M/$clf-mse-$sigma --sigma $sigma
    certify $clf-stab-$sigma --model $model --denoiser $M/$clf-stab-$sigma --sigma $sigma
  done
done
