/**
 * ONNX Runtime: models trained elsewhere (ONNX image classifiers, e.g. PyTorch exports) behind
 * {@link org.smoothing4j.model.Classifier}, inference only; and the ONNX writing and running of smoothing4j's own
 * networks exported for speed: their inference, and for graphs their input gradient ({@link OnnxBackward},
 * {@link OnnxInputGradient}).
 */
package org.smoothing4j.model.onnx;

import org.smoothing4j.model.Classifier;
