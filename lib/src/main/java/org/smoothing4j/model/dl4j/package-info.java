/**
 * smoothing4j's own networks on DL4J: the architectures (LeNet, MLP, CIFAR ResNets), checkpoints, the optimiser,
 * and the bridges to the faster paths (layer stacks run on {@code model.layerstack}; float graphs' inference is
 * exported to ONNX Runtime).
 */
package org.smoothing4j.model.dl4j;
