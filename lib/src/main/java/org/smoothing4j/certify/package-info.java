/**
 * Randomized smoothing's Monte Carlo algorithms (Cohen, Rosenfeld &amp; Kolter, "Certified Adversarial Robustness
 * via Randomized Smoothing", ICML 2019): PREDICT and CERTIFY, their statistics, and resumable certify/predict runs.
 */
package org.smoothing4j.certify;
