/**
 * The direct path of DL4J layer stacks (LeNet, the MLP): forward, input gradient and training step on libnd4j's
 * operations with reused buffers, equal to DL4J's own path.
 */
package org.smoothing4j.model.layerstack;
