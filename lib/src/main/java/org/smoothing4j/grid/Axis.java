package org.smoothing4j.grid;

import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import org.smoothing4j.noise.NoiseFamily;
import org.smoothing4j.run.RunSpec;
import org.smoothing4j.train.TrainConfig;

/**
 * One dimension of an ablation grid: its name (a column of the grid's table), its values, and how a value sets a
 * cell's settings - its training run ({@link #train}) or its certification ({@link #certify}). Training axes are
 * applied first, in the grid's order; the certification is then derived from the trained settings (its sigma and
 * noise follow the model's) and the certification axes applied to it. Any setting can be an axis: the factories below
 * name the common ones, {@link #train} and {@link #certify} take any other as a function.
 *
 * @param <V> the type of its values
 */
public final class Axis<V> {
    private final String name;
    private final List<V> values;
    private final BiFunction<TrainConfig, V, TrainConfig> onTrain;
    private final BiFunction<RunSpec, V, RunSpec> onCertify;

    private Axis(String name, List<V> values, BiFunction<TrainConfig, V, TrainConfig> onTrain,
            BiFunction<RunSpec, V, RunSpec> onCertify) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("an axis needs a name");
        }
        if (values == null || values.isEmpty()) {
            throw new IllegalArgumentException("axis " + name + " has no values");
        }
        if (values.stream().distinct().count() != values.size()) {
            throw new IllegalArgumentException("axis " + name + " repeats a value: " + values);
        }
        this.name = name;
        this.values = List.copyOf(values);
        this.onTrain = onTrain;
        this.onCertify = onCertify;
    }

    /** An axis over a training setting: {@code set} returns the config with the value set. */
    public static <V> Axis<V> train(String name, List<V> values, BiFunction<TrainConfig, V, TrainConfig> set) {
        return new Axis<>(name, values, set, null);
    }

    /** An axis over a certification setting: {@code set} returns the run with the value set. */
    public static <V> Axis<V> certify(String name, List<V> values, BiFunction<RunSpec, V, RunSpec> set) {
        return new Axis<>(name, values, null, set);
    }

    /** The noise level sigma of training; the certification follows it. */
    public static Axis<Double> sigma(double... values) {
        return train("sigma", boxed(values), TrainConfig::withSigma);
    }

    /** SmoothAdv's L2 attack budget epsilon ({@code --eps}). */
    public static Axis<Double> epsilon(double... values) {
        return train("eps", boxed(values), TrainConfig::withEpsilon);
    }

    /** The attack steps T ({@code --steps}). */
    public static Axis<Integer> steps(int... values) {
        return train("steps", Arrays.stream(values).boxed().toList(), TrainConfig::withSteps);
    }

    /**
     * m_train ({@code --m}), noise copies per image; with more than one the step trains on all of them (multi-noise),
     * as the profiles' SmoothAdv models do.
     */
    public static Axis<Integer> noiseSamples(int... values) {
        return train("m", Arrays.stream(values).boxed().toList(), (c, m) -> c.withNoiseSamples(m)
                .withMultiNoise(m > 1));
    }

    /** The training method ({@code --method}), with each method's default copies and steps. */
    public static Axis<String> method(String... values) {
        return train("method", List.of(values), TrainConfig::withMethod);
    }

    /** The noise family of training; the certification follows it. */
    public static Axis<String> noise(String... values) {
        return train("noise", List.of(values), (c, v) -> c.withNoise(NoiseFamily.parse(v, "axis noise")));
    }

    private static List<Double> boxed(double[] values) {
        return Arrays.stream(values).boxed().toList();
    }

    public String name() {
        return name;
    }

    public List<V> values() {
        return values;
    }

    /** Whether it sets the training run (else the certification). */
    public boolean training() {
        return onTrain != null;
    }

    TrainConfig apply(TrainConfig c, Object value) {
        return onTrain.apply(c, cast(value));
    }

    RunSpec apply(RunSpec s, Object value) {
        return onCertify.apply(s, cast(value));
    }

    @SuppressWarnings("unchecked")
    private V cast(Object value) {
        return (V) value;
    }

    @Override
    public String toString() {
        return name + "=" + values;
    }
}
