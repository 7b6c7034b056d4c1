package org.smoothing4j.denoise;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.smoothing4j.io.FileHash;
import org.smoothing4j.io.Json;
import org.smoothing4j.model.onnx.OnnxNoisePredictor;

/**
 * An off-the-shelf diffusion model as the denoiser of denoised smoothing (Carlini, Tramer, Dvijotham, Rice, Sun &amp;
 * Kolter, "(Certified!!) Adversarial Robustness for Free!", ICLR 2023; their code ethz-spylab/diffusion_denoised_smoothing,
 * METHODS section 6). For noise sigma in [0, 1] pixels:
 * <ol>
 * <li>t* is the first step of the model's schedule whose noise ratio sqrt((1 - abar_t) / abar_t) reaches sigma in the
 * model's own scale: 2 sigma for a [-1, 1] model ({@link InputRange}, {@link DiffusionSchedule#step});
 * <li>the noisy image y = x + delta (drawn by smoothing4j's own noise streams: sound mode, shards and resume work as for
 * any classifier) is put in the model's scale and x_t = sqrt(abar_t*) y: then x_t = sqrt(abar_t*) x + sqrt(abar_t*)
 * scale sigma eps, the forward process q(x_t | x) up to the rounding of t* to a step (at most one step more noise
 * than the model expects; their code instead adds sqrt(1 - abar_t*) eps inside, slightly more noise than certified);
 * <li>one shot: x0 = (x_t - sqrt(1 - abar_t*) eps_theta(x_t, t*)) / sqrt(abar_t*), clipped to the model's range and
 * mapped back to [0, 1] (their {@code p_sample(...)["pred_xstart"]} with {@code clip_denoised=True});
 * <li>or {@code steps} &gt; 1: ancestral sampling (DDPM's p_sample with the posterior variance, on the evenly spaced
 * steps t*, ..., 0 as improved-diffusion's respacing does; steps = t* + 1 is the paper's full multi-step variant),
 * the last step's x0 estimate being the output. Its fresh noise is drawn from a generator seeded by the bits of the
 * image it denoises, so D stays a function of its input: the pipeline is a deterministic base classifier, runs
 * resume and shard to equal rows, and the certificate is Cohen et al.'s for f(D(.)).
 * </ol>
 * With {@code --sound} the pipeline's input is still the lattice point the sound sampler drew (Vorácek &amp; Hein 2023):
 * their guarantee holds for any base classifier that is a function of that point, and f(D(.)), in float or not, is one.
 * Cost: one model call per noise sample and step.
 */
public final class DiffusionDenoiser implements Denoiser {
    private final OnnxNoisePredictor model;
    private final Path file;
    private final DiffusionSchedule schedule;
    private final InputRange range;
    private final double sigma;
    private final int tStar;
    private final int[] path;

    /** The denoiser for noise {@code sigma} ([0, 1] pixels); it owns {@code model}. */
    public DiffusionDenoiser(OnnxNoisePredictor model, Path file, DiffusionSchedule schedule, InputRange range,
            double sigma, int steps) {
        this.model = model;
        this.file = file;
        this.schedule = schedule;
        this.range = range;
        this.sigma = sigma;
        this.tStar = schedule.step(range.scale() * sigma);
        if (steps < 1 || steps > tStar + 1) {
            throw new IllegalArgumentException("--denoise-steps " + steps + ": between 1 (one shot) and t* + 1 = "
                    + (tStar + 1) + " (every step from t* = " + tStar + " down to 0) at sigma " + sigma);
        }
        this.path = new int[steps];
        for (int k = 0; k < steps; k++) {
            path[k] = steps == 1 ? tStar : (int) Math.round(tStar * (steps - 1.0 - k) / (steps - 1));
        }
    }

    /**
     * Loads MODEL.onnx for noise {@code sigma}; schedule and range from the flags when given, else from MODEL.json
     * beside it ({@code {"schedule": ..., "betaStart": ..., "betaEnd": ..., "steps": ..., "inputRange": "-1,1"}}), else
     * DDPM's defaults (linear 1e-4..0.02 over 1000 steps, [-1, 1]).
     */
    public static DiffusionDenoiser load(Path file, String scheduleFlag, String rangeFlag, double sigma, int steps)
            throws IOException {
        Path json = file.resolveSibling(file.getFileName().toString().replaceFirst("\\.onnx$", "") + ".json");
        Map<String, Object> doc = Files.isRegularFile(json) ? Json.read(json) : Map.of();
        DiffusionSchedule schedule = scheduleFlag != null ? DiffusionSchedule.parse(scheduleFlag, "--schedule")
                : doc.containsKey("schedule") ? DiffusionSchedule.read(doc, json)
                : DiffusionSchedule.parse(DiffusionSchedule.DEFAULT, "the default schedule");
        InputRange range = rangeFlag != null ? InputRange.parse(rangeFlag, "--input-range")
                : doc.containsKey("inputRange") ? InputRange.parse(Json.string(doc, "inputRange", json), json.toString())
                : InputRange.MINUS_ONE_ONE;
        OnnxNoisePredictor model = OnnxNoisePredictor.load(file);
        try {
            return new DiffusionDenoiser(model, file, schedule, range, sigma, steps);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    @Override
    public INDArray denoise(INDArray y) {
        INDArray xt = range.toModel(y.castTo(DataType.FLOAT)).muli(Math.sqrt(schedule.alphaBar(tStar)));
        for (int k = 0; ; k++) {
            int t = path[k];
            double abar = schedule.alphaBar(t);
            INDArray x0 = range.clip(xt.sub(model.predict(xt, t).muli(Math.sqrt(1 - abar))).divi(Math.sqrt(abar)));
            if (k == path.length - 1) {
                return range.toUnit(x0);
            }
            xt = posteriorSample(xt, x0, t, path[k + 1], y, k);
        }
    }

    /** x_{t'} ~ q(x_{t'} | x_t, x0) (DDPM eq. 6-7 between the steps t &gt; t'), its noise seeded by the input image. */
    private INDArray posteriorSample(INDArray xt, INDArray x0, int t, int next, INDArray input, int k) {
        double abar = schedule.alphaBar(t), abarNext = schedule.alphaBar(next);
        double beta = 1 - abar / abarNext;
        double meanX0 = Math.sqrt(abarNext) * beta / (1 - abar);
        double meanXt = Math.sqrt(1 - beta) * (1 - abarNext) / (1 - abar);
        double sd = Math.sqrt(beta * (1 - abarNext) / (1 - abar));
        INDArray z = inputSeededNormal(input, k);
        return x0.muli(meanX0).addi(xt.muli(meanXt)).addi(z.muli(sd));
    }

    /** Standard normal draws of the batch's shape, each image's from a generator seeded by its pixels' bits and k. */
    static INDArray inputSeededNormal(INDArray input, int k) {
        INDArray dense = input.castTo(DataType.FLOAT).dup('c');
        int b = (int) dense.size(0);
        int per = (int) (dense.length() / b);
        FloatBuffer in = dense.data().asNioFloat();
        float[] z = new float[(int) dense.length()];
        for (int i = 0; i < b; i++) {
            long h = 0x9E3779B97F4A7C15L * (k + 1);
            for (int j = 0; j < per; j++) {
                h = Long.rotateLeft(h ^ Float.floatToIntBits(in.get(i * per + j)), 27) * 0xBF58476D1CE4E5B9L;
            }
            SplittableRandom r = new SplittableRandom(h);
            for (int j = 0; j < per; j++) {
                z[i * per + j] = (float) r.nextGaussian();
            }
        }
        return Nd4j.create(z, dense.shape(), 'c');
    }

    @Override
    public long[] inputShape() {
        return model.imageShape();
    }

    @Override
    public boolean concurrent() {
        return true;
    }

    @Override
    public String inference() {
        return "diffusion model on onnx-runtime " + ai.onnxruntime.OrtEnvironment.getEnvironment().getVersion()
                + " (" + (path.length == 1 ? "one shot" : path.length + " steps") + " from t* = " + tStar + ")";
    }

    /** t*: the step the noise level selects. */
    public int step() {
        return tStar;
    }

    /** The steps visited, t* first and 0 last when more than one. */
    public int[] path() {
        return path.clone();
    }

    /** What the settings file records: the model, its hash, the schedule, range, t* and the steps. */
    public Map<String, Object> metadata() throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", "diffusion");
        m.put("file", file.toString());
        m.put("sha256", FileHash.sha256(file));
        m.put("schedule", schedule.description());
        m.put("inputRange", range.toString());
        m.put("sigma", sigma);
        m.put("tStar", tStar);
        m.put("alphaBarAtTStar", schedule.alphaBar(tStar));
        m.put("noiseAtTStar", schedule.noiseRatio(tStar) / range.scale());
        m.put("steps", path.length);
        return m;
    }

    @Override
    public void close() {
        model.close();
    }
}
