/**
 * oneDNN's training primitives called directly (JavaCPP's dnnl preset): the training step of smoothing4j's CIFAR
 * ResNets ({@link org.smoothing4j.model.onednn.ResNetStep}), the path {@code Network.fit} takes for float graphs.
 */
package org.smoothing4j.model.onednn;
