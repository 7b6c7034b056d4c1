/** Gaussian noise in pixel space and the seeding scheme that makes runs reproducible per example. */
package org.smoothing4j.noise;
