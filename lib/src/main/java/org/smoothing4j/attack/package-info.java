/**
 * Attacks on the soft smoothed classifier G(x) = E[F(x + delta)] (Salman et al., "Provably Robust Deep Learning
 * via Adversarially Trained Smoothed Classifiers", NeurIPS 2019): the objectives, the gradient sources, PGD-L2 and
 * DDN-L2. Convention: a batch of B examples with m noise copies each is laid out example-major, rows
 * b*m .. b*m + m - 1 being the copies of example b.
 */
package org.smoothing4j.attack;
