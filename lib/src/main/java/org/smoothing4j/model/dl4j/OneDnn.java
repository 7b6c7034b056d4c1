package org.smoothing4j.model.dl4j;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Turns on DL4J's oneDNN layer helpers (convolution, pooling, batch norm), which M2.1 ships but disables: the
 * system property {@code org.eclipse.deeplearning4j.helpers.disable} defaults to true, and the helpers' backend
 * check needs the shim {@link org.nd4j.nativeblas.Nd4jCpu}. Setting the property to {@code true} yourself keeps
 * the built-in path (for comparisons).
 */
public final class OneDnn {
    static final String DISABLE = "org.eclipse.deeplearning4j.helpers.disable";

    private OneDnn() {}

    /** Enables the helpers for networks created from now on, unless the user disabled them explicitly. */
    public static void enableUnlessDisabled() {
        if (System.getProperty(DISABLE) == null) {
            System.setProperty(DISABLE, "false");
        }
    }

    /** Whether every convolution layer of a DL4J network runs through a oneDNN helper. */
    public static boolean inUse(Model model) {
        Layer[] layers = model instanceof MultiLayerNetwork mln ? mln.getLayers() : ((ComputationGraph) model).getLayers();
        boolean any = false;
        for (Layer layer : layers) {
            if (layer instanceof ConvolutionLayer conv) {
                any = true;
                if (conv.getHelper() == null) {
                    return false;
                }
            }
        }
        return any;
    }
}
