/** Data sets as ND4J arrays of pixels in [0,1] with labels: IDX (MNIST-style) and CIFAR-10 binary readers. */
package org.smoothing4j.data;
