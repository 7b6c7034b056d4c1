/**
 * Models trained elsewhere: ONNX image classifiers (e.g. PyTorch exports) run by ONNX Runtime behind
 * {@link org.smoothing4j.model.Classifier}, inference only.
 */
package org.smoothing4j.model.onnx;

import org.smoothing4j.model.Classifier;
