/** smoothing4j: certified adversarial robustness by randomized smoothing on ND4J/DL4J. */
package org.smoothing4j;
