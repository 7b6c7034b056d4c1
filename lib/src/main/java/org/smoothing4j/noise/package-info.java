/**
 * Noise in pixel space (Gaussian; the exact rounded Gaussian on an input grid for sound certification) and the
 * seeding scheme that makes runs reproducible per example.
 */
package org.smoothing4j.noise;
