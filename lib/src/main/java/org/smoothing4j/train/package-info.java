/**
 * Training base classifiers for randomized smoothing: Gaussian data augmentation (Cohen et al. 2019) and SmoothAdv
 * (Salman et al. 2019), with SGD, a step schedule, per-epoch checkpoints and resumable runs.
 */
package org.smoothing4j.train;
