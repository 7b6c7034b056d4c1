package org.smoothing4j.model.dl4j;

import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.smoothing4j.model.Normalization;
import org.smoothing4j.model.NormalizeActivation;

/**
 * The base classifier architectures, each starting with its data set's mean/std {@link NormalizeActivation} layer:
 * <ul>
 *   <li>{@code lenet}: conv 5x5x32, max-pool 2, conv 5x5x64, max-pool 2, dense 128, dense 10 (ReLU; 28x28x1);</li>
 *   <li>{@code mlp}: dense 512, dense 256, dense 10 (ReLU; any input, flattened);</li>
 *   <li>{@code resnet20}, {@code resnet110}: CIFAR-style residual networks ({@link ResNets}; 32x32x3, or any
 *   size).</li>
 * </ul>
 */
public final class Architectures {
    public static final List<String> NAMES = List.of("lenet", "mlp", "resnet20", "resnet110");

    private Architectures() {}

    /** Whether {@link #build} knows the name: one of {@link #NAMES} or any resnet of depth 6n + 2. */
    public static boolean isKnown(String arch) {
        String a = arch.toLowerCase(Locale.ROOT);
        if (NAMES.contains(a)) {
            return true;
        }
        if (!a.matches("resnet[0-9]{1,4}")) {
            return false;
        }
        int depth = Integer.parseInt(a.substring("resnet".length()));
        return depth >= 8 && (depth - 2) % 6 == 0;
    }

    /** Whether the architecture is a computation graph (a residual network) rather than a layer stack. */
    public static boolean isGraph(String arch) {
        return arch.toLowerCase(Locale.ROOT).matches("resnet[0-9]+");
    }

    /** A freshly initialised network of the named architecture for images of shape [c, h, w]. */
    public static Network build(String arch, long[] inputShape, int classes, Normalization norm, IUpdater updater,
            double weightDecay, long seed) {
        return build(arch, inputShape, classes, norm, updater, weightDecay, seed, DataType.FLOAT);
    }

    /** As {@link #build(String, long[], int, Normalization, IUpdater, double, long)} in a given precision. */
    public static Network build(String arch, long[] inputShape, int classes, Normalization norm, IUpdater updater,
            double weightDecay, long seed, DataType dataType) {
        OneDnn.enableUnlessDisabled();
        if (norm.mean().length != inputShape[0]) {
            throw new IllegalArgumentException("normalisation has " + norm.mean().length + " channels, images have "
                    + inputShape[0]);
        }
        if (isGraph(arch)) {
            int depth = Integer.parseInt(arch.toLowerCase(Locale.ROOT).substring("resnet".length()));
            return new Network(ResNets.build(depth, inputShape, classes, norm, updater, weightDecay, seed, dataType),
                    inputShape, classes);
        }
        int c = (int) inputShape[0], h = (int) inputShape[1], w = (int) inputShape[2];
        NeuralNetConfiguration.ListBuilder layers = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(dataType)
                .updater(updater)
                .l2(weightDecay)
                .weightInit(WeightInit.UNIFORM) // U(-1/sqrt(fanIn), 1/sqrt(fanIn)): PyTorch's default
                .convolutionMode(ConvolutionMode.Truncate)
                .list()
                .layer(new ActivationLayer.Builder().activation(new NormalizeActivation(norm.mean(), norm.std()))
                        .build());
        switch (arch.toLowerCase(Locale.ROOT)) {
            case "lenet" -> {
                if (h != 28 || w != 28) {
                    throw new IllegalArgumentException("lenet expects 28x28 images, got " + h + "x" + w);
                }
                layers.layer(new ConvolutionLayer.Builder(5, 5).nOut(32).activation(Activation.RELU).build())
                        .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2)
                                .stride(2, 2).build())
                        .layer(new ConvolutionLayer.Builder(5, 5).nOut(64).activation(Activation.RELU).build())
                        .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2)
                                .stride(2, 2).build())
                        .layer(new DenseLayer.Builder().nOut(128).activation(Activation.RELU).build());
            }
            case "mlp" -> layers
                    .layer(new DenseLayer.Builder().nOut(512).activation(Activation.RELU).build())
                    .layer(new DenseLayer.Builder().nOut(256).activation(Activation.RELU).build());
            default -> throw new IllegalArgumentException("unknown architecture '" + arch + "': expected one of "
                    + NAMES);
        }
        MultiLayerConfiguration conf = layers
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(classes)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(h, w, c))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return new Network(net, inputShape, classes);
    }
}
