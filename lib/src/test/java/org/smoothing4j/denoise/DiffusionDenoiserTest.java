package org.smoothing4j.denoise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.smoothing4j.model.onnx.OnnxNoisePredictor;
import org.smoothing4j.model.onnx.OnnxWriter;
import org.smoothing4j.model.onnx.OnnxWriter.Value;

/**
 * The diffusion denoiser against known answers (METHODS 6's KATs): t* from the schedule's formula for both input
 * ranges, an eps-model that returns 0 makes the pipeline the clipped identity, and the one-shot and two-step outputs
 * of a tiny ONNX eps-model equal a hand computation in double.
 */
class DiffusionDenoiserTest {
    /** Float32 arithmetic over about ten operations on values of order 1: errors near 1e-6; the bound allows 10x. */
    private static final double FLOAT_TOLERANCE = 1e-5;

    @TempDir
    Path dir;

    /** abar_t of DDPM's linear schedule computed independently: exp of the summed logs of (1 - beta_s). */
    private static double linearAlphaBar(int t) {
        double logs = 0;
        for (int s = 0; s <= t; s++) {
            logs += Math.log1p(-(1e-4 + (0.02 - 1e-4) * s / 999.0));
        }
        return Math.exp(logs);
    }

    @Test
    void theStepIsTheFirstWhoseNoiseRatioReachesSigmaInTheModelsScale() {
        DiffusionSchedule linear = DiffusionSchedule.parse("linear", "test");
        for (double sigma : new double[] {0.12, 0.25, 0.5, 1.0}) {
            for (InputRange range : InputRange.values()) {
                double target = range.scale() * sigma; // 2 sigma in [-1, 1] pixels
                int expected = 0;
                while (Math.sqrt((1 - linearAlphaBar(expected)) / linearAlphaBar(expected)) < target) {
                    expected++;
                }
                int t = linear.step(target);
                assertEquals(expected, t, "sigma " + sigma + ", range " + range);
                assertTrue(linear.noiseRatio(t) >= target && (t == 0 || linear.noiseRatio(t - 1) < target));
                assertEquals(linearAlphaBar(t), linear.alphaBar(t), 1e-12);
            }
        }
        // the doubling matters: a [-1, 1] model at sigma is the [0, 1] step of 2 sigma
        assertEquals(linear.step(1.0), linear.step(InputRange.MINUS_ONE_ONE.scale() * 0.5));
        assertTrue(linear.step(2 * 0.25) > linear.step(0.25));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> linear.step(1000));
        assertTrue(e.getMessage().contains("no step denoises that much noise"), e.getMessage());
    }

    @Test
    void theCosineScheduleTelescopesToItsFormula() {
        // beta_t = 1 - f((t+1)/T) / f(t/T) makes abar_t = f((t+1)/T) / f(0) wherever no beta was clipped at 0.999
        DiffusionSchedule cosine = DiffusionSchedule.parse("cosine:4000", "test");
        double f0 = Math.pow(Math.cos(0.008 / 1.008 * Math.PI / 2), 2);
        for (int t : new int[] {0, 1, 100, 1000, 3000, 3900}) {
            double f = Math.pow(Math.cos(((t + 1) / 4000.0 + 0.008) / 1.008 * Math.PI / 2), 2);
            assertEquals(f / f0, cosine.alphaBar(t), 1e-9 * Math.max(1, f / f0), "t = " + t);
        }
        assertEquals(4000, cosine.steps());
    }

    @Test
    void badSchedulesAndRangesAreRefusedByName() {
        for (String bad : List.of("quadratic", "linear:1", "linear:0.1,0.01,10", "cosine:x", "linear:0,0.02,1000")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> DiffusionSchedule.parse(bad, "--schedule"));
            assertTrue(e.getMessage().startsWith("--schedule: "), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> InputRange.parse("0,255", "--input-range"));
        assertEquals("--input-range: input range '0,255', expected -1,1 or 0,1", e.getMessage());
    }

    /** A tiny eps-model on [b, 1, 4, 4] with a float timestep: eps(x, t) = a x + c t. */
    private Path tinyModel(float a, float c) throws IOException {
        OnnxWriter w = new OnnxWriter();
        String ax = w.node("Mul", List.of("x", w.constant("a", new long[0], new float[] {a})));
        String t4 = w.node("Reshape", List.of("t", w.constantLongs("shape", new long[] {-1, 1, 1, 1})));
        String ct = w.node("Mul", List.of(t4, w.constant("c", new long[0], new float[] {c})));
        w.node("Add", List.of(ax, ct), "eps");
        Path file = dir.resolve("tiny-" + a + "-" + c + ".onnx");
        Files.write(file, w.model("tiny", List.of(new Value("x", 1, 4, 4), new Value("t")),
                List.of(new Value("eps", 1, 4, 4))));
        return file;
    }

    private static INDArray images(long seed, int b) {
        // values past [0, 1] as noisy images have, so that the clipping is exercised
        java.util.Random r = new java.util.Random(seed);
        float[] v = new float[b * 16];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextDouble() * 1.6 - 0.3);
        }
        return Nd4j.create(v, new long[] {b, 1, 4, 4}, 'c');
    }

    private static double clip(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    @Test
    void anEpsModelOfZeroMakesThePipelineTheClippedIdentity() throws IOException {
        INDArray y = images(1, 3);
        for (InputRange range : InputRange.values()) {
            try (DiffusionDenoiser d = DiffusionDenoiser.load(tinyModel(0, 0), null, range.toString(), 0.5, 1)) {
                INDArray out = d.denoise(y);
                for (int i = 0; i < y.length(); i++) {
                    assertEquals(clip(y.getDouble(i), 0, 1), out.getDouble(i), FLOAT_TOLERANCE, range + " " + i);
                }
            }
        }
    }

    @Test
    void oneShotAndTwoStepsEqualAHandComputation() throws IOException {
        float a = 0.5f, c = 0.001f;
        double sigma = 0.25;
        INDArray y = images(2, 2);
        DiffusionSchedule s = DiffusionSchedule.parse("linear", "test");
        int tStar = s.step(2 * sigma);
        try (DiffusionDenoiser one = DiffusionDenoiser.load(tinyModel(a, c), null, null, sigma, 1);
                DiffusionDenoiser two = DiffusionDenoiser.load(tinyModel(a, c), null, null, sigma, 2)) {
            assertEquals(tStar, one.step());
            assertArrayEquals(new int[] {tStar, 0}, two.path());
            INDArray outOne = one.denoise(y), outTwo = two.denoise(y);
            INDArray z = DiffusionDenoiser.inputSeededNormal(y, 0);
            double ab = s.alphaBar(tStar), ab0 = s.alphaBar(0);
            for (int i = 0; i < y.length(); i++) {
                double xt = Math.sqrt(ab) * (2 * y.getDouble(i) - 1);
                double x0 = clip((xt - Math.sqrt(1 - ab) * (a * xt + c * tStar)) / Math.sqrt(ab), -1, 1);
                assertEquals((x0 + 1) / 2, outOne.getDouble(i), FLOAT_TOLERANCE, "one shot, pixel " + i);
                // DDPM's posterior q(x_0' | x_t*, x0) between t* and 0, then the x0 estimate at step 0
                double beta = 1 - ab / ab0;
                double mean = Math.sqrt(ab0) * beta / (1 - ab) * x0 + Math.sqrt(1 - beta) * (1 - ab0) / (1 - ab) * xt;
                double next = mean + Math.sqrt(beta * (1 - ab0) / (1 - ab)) * z.getDouble(i);
                double last = clip((next - Math.sqrt(1 - ab0) * (a * next + c * 0)) / Math.sqrt(ab0), -1, 1);
                assertEquals((last + 1) / 2, outTwo.getDouble(i), FLOAT_TOLERANCE, "two steps, pixel " + i);
            }
        }
    }

    @Test
    void theMultiStepNoiseIsAFunctionOfEachImageAlone() {
        INDArray y = images(3, 4);
        INDArray z = DiffusionDenoiser.inputSeededNormal(y, 5);
        // the same image in another batch, at another position: the same draws; another step: other draws
        INDArray alone = DiffusionDenoiser.inputSeededNormal(y.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(2, 3))
                .dup(), 5);
        assertEquals(z.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(2, 3)), alone);
        assertTrue(!z.equals(DiffusionDenoiser.inputSeededNormal(y, 6)));
        // and standard normal: mean 0, variance 1 over 64 draws within 4 standard errors (1/8 and sqrt(2/64))
        INDArray many = DiffusionDenoiser.inputSeededNormal(images(4, 64), 0).castTo(DataType.DOUBLE);
        assertEquals(0, many.meanNumber().doubleValue(), 4 / Math.sqrt(many.length()));
        assertEquals(1, many.varNumber().doubleValue(), 4 * Math.sqrt(2.0 / many.length()));
    }

    @Test
    void stepsBeyondTStarAndModelsWithoutATimestepAreRefused() throws IOException {
        Path tiny = tinyModel(0, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DiffusionDenoiser.load(tiny, "linear", "0,1", 0.01, 1000));
        assertTrue(e.getMessage().startsWith("--denoise-steps 1000: between 1 (one shot) and t* + 1 = "), e.getMessage());
        OnnxWriter w = new OnnxWriter();
        w.node("Identity", List.of("x"), "y");
        Path one = dir.resolve("one-input.onnx");
        Files.write(one, w.model("one", "x", new long[] {1, 4, 4}, "y", new long[] {1, 4, 4}));
        IOException io = assertThrows(IOException.class, () -> OnnxNoisePredictor.load(one));
        assertTrue(io.getMessage().contains("takes 1 inputs [x], expected a diffusion model's two inputs"),
                io.getMessage());
    }
}
