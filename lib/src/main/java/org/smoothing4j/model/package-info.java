/**
 * Base classifiers, whichever backend runs them: the {@link org.smoothing4j.model.Classifier} interface, the
 * data-set normalisation that is a model's first layer, losses on a batch's logits for training recipes, and
 * {@link org.smoothing4j.model.Models}, which loads any model file. The backends: {@code model.dl4j} (smoothing4j's
 * own DL4J networks and checkpoints), {@code model.layerstack} (the direct path those layer stacks run on) and
 * {@code model.onnx} (ONNX models from elsewhere, on ONNX Runtime).
 */
package org.smoothing4j.model;
