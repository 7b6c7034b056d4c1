package org.smoothing4j.certify;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Settings of a certify or predict run, with the reference code's defaults: n0 = 100, n = 100,000,
 * alpha = 0.001, batch 400, every example, the radius sigma Phi^-1(pALower). The run seed feeds one noise stream per
 * example index.
 */
public record CertifyConfig(int n0, int n, double alpha, int batch, long seed, ExampleSelection selection)
        implements java.io.Serializable {

    public CertifyConfig {
        if (n0 < 1) {
            throw new IllegalArgumentException("--n0 must be >= 1, got " + n0);
        }
        if (n < 1) {
            throw new IllegalArgumentException("--n must be >= 1, got " + n);
        }
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("--alpha must be in (0, 1), got " + alpha);
        }
        if (batch < 1) {
            throw new IllegalArgumentException("--batch must be >= 1, got " + batch);
        }
    }

    public static CertifyConfig defaults() {
        return new CertifyConfig(100, 100_000, 0.001, SmoothedClassifier.DEFAULT_BATCH, 0, ExampleSelection.all());
    }

    public CertifyConfig withN0(int n0) {
        return new CertifyConfig(n0, n, alpha, batch, seed, selection);
    }

    public CertifyConfig withN(int n) {
        return new CertifyConfig(n0, n, alpha, batch, seed, selection);
    }

    public CertifyConfig withAlpha(double alpha) {
        return new CertifyConfig(n0, n, alpha, batch, seed, selection);
    }

    public CertifyConfig withBatch(int batch) {
        return new CertifyConfig(n0, n, alpha, batch, seed, selection);
    }

    public CertifyConfig withSeed(long seed) {
        return new CertifyConfig(n0, n, alpha, batch, seed, selection);
    }

    public CertifyConfig withSelection(ExampleSelection selection) {
        return new CertifyConfig(n0, n, alpha, batch, seed, selection);
    }

    /** The settings as stored beside a log. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n0", n0);
        m.put("n", n);
        m.put("alpha", alpha);
        m.put("batch", batch);
        m.put("seed", seed);
        m.put("skip", selection.skip());
        m.put("max", selection.max());
        m.put("start", selection.start());
        m.put("end", selection.end());
        return m;
    }
}
