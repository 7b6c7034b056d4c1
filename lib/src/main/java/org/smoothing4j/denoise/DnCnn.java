package org.smoothing4j.denoise;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.schedule.ISchedule;
import org.smoothing4j.model.dl4j.Network;
import org.smoothing4j.model.dl4j.OneDnn;
import org.smoothing4j.model.dl4j.OnnxExport;
import org.smoothing4j.model.onnx.OnnxImageMap;

/**
 * A DnCNN denoiser D(y) = y - R(y) (Zhang et al. 2017, as in Salman et al. 2020's {@code code/archs/dncnn.py}, METHODS
 * 4a): conv 3x3 + ReLU, then depth - 2 times conv 3x3 without bias + ReLU, then conv 3x3 to the image's channels; the
 * network R predicts the noise and the output is the residual. The last convolution starts at zero, so a fresh
 * denoiser is the identity (its pipeline certifies as the plain classifier, bit for bit).
 *
 * <p>Two departures from the paper, both measured choices: the batch norms between the convolutions are left out
 * (at the depth used for 28x28 images, {@link #DEFAULT_DEPTH}, the residual network trains without them, and
 * without them the training-mode backward pass is the gradient of the inference function itself, which the
 * gradient through the composition {@link DenoisedClassifier} needs); and the initialisation is He's (DL4J has no
 * orthogonal initialiser). Defaults as the paper's CIFAR-10 recipe scaled for 28x28 one-channel images: depth 17 and
 * width 64 there; {@value #DEFAULT_DEPTH} and {@value #DEFAULT_WIDTH} here (a forward pass of 17/64 costs 0.9 GFLOP
 * per 28x28 image, 24x the 8/32 network, and CERTIFY runs it n = 10,000 times per image).
 *
 * <p>Trained with gradients from outside ({@link #step}): the objective's gradient dL/dD(y) (MSE, or the stability
 * loss through the classifier by backprop or by Stein estimates) is handed to DL4J's own step through the loss
 * layer, as the surrogate loss sum D(y) * stopgrad(g) of Zhang et al. 2022 does in PyTorch.
 */
public final class DnCnn implements Denoiser {
    public static final int DEFAULT_DEPTH = 8;
    public static final int DEFAULT_WIDTH = 32;

    private final MultiLayerNetwork net;
    private final long[] inputShape;
    private final boolean onnxAllowed = Boolean.parseBoolean(System.getProperty(Network.ONNX_PROPERTY, "true"));
    /** Inference through ONNX Runtime; null until used, and for good once the denoiser trains. */
    private OnnxImageMap onnx;
    private boolean training;

    private DnCnn(MultiLayerNetwork net, long[] inputShape) {
        this.net = net;
        this.inputShape = inputShape.clone();
    }

    /**
     * A fresh denoiser (the identity) for images [c, h, w]: Adam with the given learning-rate schedule and L2 weight
     * decay (Salman et al.: Adam 1e-3, StepLR 30 x 0.1, weight decay 1e-4).
     */
    public static DnCnn build(long[] inputShape, int depth, int width, ISchedule lr, double weightDecay, long seed) {
        return build(inputShape, depth, width, lr, weightDecay, seed, DataType.FLOAT);
    }

    /** As {@link #build(long[], int, int, ISchedule, double, long)} in a given precision (tests: double). */
    public static DnCnn build(long[] inputShape, int depth, int width, ISchedule lr, double weightDecay, long seed,
            DataType dataType) {
        if (depth < 2) {
            throw new IllegalArgumentException("--depth must be at least 2 (first and last convolution), got " + depth);
        }
        if (width < 1) {
            throw new IllegalArgumentException("--width must be at least 1, got " + width);
        }
        OneDnn.enableUnlessDisabled();
        int c = (int) inputShape[0], h = (int) inputShape[1], w = (int) inputShape[2];
        NeuralNetConfiguration.ListBuilder layers = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(dataType)
                .updater(new Adam(lr))
                .l2(weightDecay)
                .weightInit(WeightInit.RELU)
                .convolutionMode(ConvolutionMode.Same)
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(width).activation(Activation.RELU).build());
        for (int i = 0; i < depth - 2; i++) {
            layers.layer(new ConvolutionLayer.Builder(3, 3).nOut(width).hasBias(false).activation(Activation.RELU)
                    .build());
        }
        MultiLayerConfiguration conf = layers
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(c).activation(Activation.IDENTITY).build())
                .layer(new CnnLossLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY).build())
                .setInputType(InputType.convolutional(h, w, c))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        net.getLayer(depth - 1).getParam("W").assign(0); // R = 0: D starts as the identity
        net.getLayer(depth - 1).getParam("b").assign(0);
        return new DnCnn(net, inputShape);
    }

    /**
     * D(y) = y - R(y) of a batch [b, c, h, w] (inference; y is not changed). A float denoiser that is not training
     * runs through ONNX Runtime ({@link OnnxExport#residual}), one pipeline per core with the classifier's concurrent
     * copies (measured 2026-12-04 on a 2-core machine, CERTIFY of 20 images at n = 10,000 behind a denoiser in front
     * of the ONNX LeNet, whole command: 25 s against DL4J's 44 s at depth 5 and width 16, 84 s against 179 s at 8 and
     * 32), equal to DL4J's output up to float rounding (DenoiserTest); a fresh denoiser is the identity on both paths,
     * bit for bit.
     * Once {@link #training} has been called, or in double precision, or when {@value Network#ONNX_PROPERTY} is
     * false, DL4J's own forward pass runs: a training run then computes the same D(y) whether it was resumed or not.
     */
    @Override
    public INDArray denoise(INDArray y) {
        if (onnx().isPresent()) {
            return onnx.apply(y);
        }
        INDArray in = y.castTo(dataType());
        return in.sub(net.output(in, false));
    }

    private Optional<OnnxImageMap> onnx() {
        if (onnx == null && onnxAllowed && !training && dataType() == DataType.FLOAT) {
            onnx = OnnxImageMap.fromBytes(OnnxExport.residual(net, inputShape), inputShape, "the denoiser");
        }
        return Optional.ofNullable(onnx);
    }

    /** From now on every forward pass is DL4J's (a training run calls this before its first step). */
    public void training() {
        training = true;
        if (onnx != null) {
            onnx.close();
            onnx = null;
        }
    }

    /** Where {@link #denoise} runs: ONNX Runtime (with its version), or DL4J on ND4J's native build. */
    @Override
    public String inference() {
        return onnx().isPresent() ? "onnx-runtime " + ai.onnxruntime.OrtEnvironment.getEnvironment().getVersion()
                : "dl4j on nd4j " + org.smoothing4j.io.Backend.current().nativeBuild();
    }

    /** Frees its ONNX Runtime session, if it made one (made again when used). */
    @Override
    public void close() {
        if (onnx != null) {
            onnx.close();
            onnx = null;
        }
    }

    /** Whether {@link #denoise} may run on several threads at once (on ONNX Runtime; DL4J's network may not). */
    @Override
    public boolean concurrent() {
        return onnx().isPresent();
    }

    /**
     * One optimiser step given dL/dD(y) of the batch's loss L (a mean over its images), [b, c, h, w]. Returns DL4J's
     * score (the given loss plus the L2 term).
     */
    public double step(INDArray y, INDArray lossGradient, double loss) {
        training();
        CnnLossLayer out = lossLayer();
        var own = out.getLossFn();
        // dL/dR = -dL/dD; DL4J's updater divides by the batch size, so the gradient of the summed loss
        out.setLossFn(new ExternalGradientLoss(lossGradient.neg().muli(y.size(0)), loss));
        try {
            net.fit(new DataSet(y.castTo(dataType()), Nd4j.zeros(dataType(), y.shape())));
        } finally {
            out.setLossFn(own);
        }
        return net.score();
    }

    /** d(g . D(y))/dy for each image: the vector-Jacobian product of the denoiser, [b, c, h, w]. */
    @Override
    public boolean differentiable() {
        return true;
    }

    @Override
    public INDArray backward(INDArray y, INDArray g) {
        CnnLossLayer out = lossLayer();
        var own = out.getLossFn();
        out.setLossFn(new ExternalGradientLoss(g.neg(), 0));
        try {
            INDArray throughR = net.calculateGradients(y.castTo(dataType()).dup(),
                    Nd4j.zeros(dataType(), y.shape()), null, null).getSecond();
            return g.castTo(dataType()).add(throughR);
        } finally {
            out.setLossFn(own);
        }
    }

    private CnnLossLayer lossLayer() {
        return (CnnLossLayer) net.getLayer(net.getnLayers() - 1).conf().getLayer();
    }

    public DataType dataType() {
        return net.params().dataType();
    }

    @Override
    public long[] inputShape() {
        return inputShape.clone();
    }

    public int depth() {
        return net.getnLayers() - 1;
    }

    public long width() {
        return ((ConvolutionLayer) net.getLayer(0).conf().getLayer()).getNOut();
    }

    public long parameterCount() {
        return net.numParams();
    }

    public void setEpochCount(int epoch) {
        net.setEpochCount(epoch);
    }

    /** The weights, Adam's state and the counters, as in a training checkpoint. */
    public MultiLayerNetwork network() {
        return net;
    }

    /** Saves weights and updater state in DL4J's zip format (callers publish it atomically). */
    void save(Path file) throws IOException {
        ModelSerializer.writeModel(net, file.toFile(), true);
    }

    static DnCnn load(Path file, long[] inputShape) throws IOException {
        OneDnn.enableUnlessDisabled();
        return new DnCnn(ModelSerializer.restoreMultiLayerNetwork(file.toFile(), true), inputShape);
    }
}
