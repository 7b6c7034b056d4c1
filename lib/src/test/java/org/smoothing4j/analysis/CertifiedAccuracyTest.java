package org.smoothing4j.analysis;

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
import tech.tablesaw.api.Table;

class CertifiedAccuracyTest {
    @TempDir
    Path dir;

    /** A log as the PyTorch reference writes it (time as str(timedelta)). */
    private Path referenceLog(String name, String... rows) throws IOException {
        StringBuilder sb = new StringBuilder("idx\tlabel\tpredict\tradius\tcorrect\ttime\n");
        for (String r : rows) {
            sb.append(r).append('\n');
        }
        return Files.writeString(dir.resolve(name), sb.toString());
    }

    private Table fourExamples() throws IOException {
        // correct with radii 0.3 and 0.8, one wrong with radius 0.5, one abstention
        return CertifyLogs.read(referenceLog("a.tsv",
                "0\t3\t3\t0.3\t1\t0:00:01.503210",
                "20\t1\t1\t0.8\t1\t0:00:01.400000",
                "40\t2\t5\t0.5\t0\t0:00:01.2",
                "60\t7\t-1\t0.0\t0\t2.5"));
    }

    @Test
    void readsReferenceLogsWithEitherTimeFormat() throws IOException {
        Table t = fourExamples();
        assertEquals("a", t.name());
        assertEquals(4, t.rowCount());
        assertEquals(1.50321, t.doubleColumn("time").get(0), 1e-9);
        assertEquals(2.5, t.doubleColumn("time").get(3), 1e-9);
    }

    @Test
    void certifiedAccuracyCountsCorrectExamplesWithRadiusAtLeastR() throws IOException {
        Table t = fourExamples();
        assertArrayEquals(new double[] {0.5, 0.5, 0.25, 0.25, 0.0},
                CertifiedAccuracy.curve(t, new double[] {0, 0.3, 0.31, 0.8, 0.81}), 1e-12);
        assertEquals((0.3 + 0.8) / 4, CertifiedAccuracy.acr(t), 1e-12);
        assertEquals(0.25, CertifiedAccuracy.abstainRate(t), 1e-12);
    }

    @Test
    void bandIsTheClopperPearsonIntervalOfTheCertifiedFraction() throws IOException {
        Table t = fourExamples(); // 2 of 4 certified at r = 0, 1 of 4 at r = 0.5, 0 of 4 at r = 1
        double[][] b = CertifiedAccuracy.band(t, new double[] {0, 0.5, 1}, 0.95);
        // exact two-sided 95% Clopper-Pearson bounds (beta quantiles), e.g. 2/4: [0.067586, 0.932414]
        assertArrayEquals(new double[] {0.067586, 0.006309, 0}, b[0], 1e-6);
        assertArrayEquals(new double[] {0.932414, 0.805880, 0.602365}, b[1], 1e-6);
        assertThrows(IllegalArgumentException.class, () -> CertifiedAccuracy.band(t, new double[] {0}, 1.0));
        Table cells = CertifiedAccuracy.bandSummary(List.of(t), new double[] {0}, 0.95);
        assertEquals("0.500 [0.068, 0.932]", cells.stringColumn("r=0").get(0));
    }

    /** A log of m examples of which the first k are certified correct at radius 1 and the rest wrong. */
    private Table certifiedOf(String name, int k, int m) throws IOException {
        String[] rows = new String[m];
        for (int i = 0; i < m; i++) {
            rows[i] = i + "\t1\t" + (i < k ? "1\t1.0\t1" : "2\t0.5\t0") + "\t0.1";
        }
        return CertifyLogs.read(referenceLog(name + ".tsv", rows));
    }

    @Test
    void outsideBandsListsExactlyThePairsWithDisjointIntervals() throws IOException {
        // m = 50: 45/50 has the 95% interval [0.782, 0.967], 30/50 [0.452, 0.736], 35/50 [0.554, 0.821]
        Table high = certifiedOf("high", 45, 50), mid = certifiedOf("mid", 35, 50), low = certifiedOf("low", 30, 50);
        Table d = CertifiedAccuracy.outsideBands(List.of(high, mid, low), new double[] {0, 1, 1.5}, 0.95);
        // r = 0 and r = 1 give the same fractions: high > low both times; high vs mid and mid vs low overlap;
        // at r = 1.5 nobody is certified, so no pair differs
        assertEquals(2, d.rowCount());
        assertEquals(List.of("high", "high"), d.stringColumn("higher").asList());
        assertEquals(List.of("low", "low"), d.stringColumn("lower").asList());
        assertEquals(List.of(0.0, 1.0), d.doubleColumn("r").asList());
        assertEquals("0.900 [0.782, 0.967]", d.stringColumn("higher: accuracy [band]").get(0));
    }

    @Test
    void bandsCoverTheTrueCertifiedFractionAtLeastAtTheirConfidence() {
        // 2,000 test sets of m = 200 examples, each certified with probability p = 0.3 (seed 7): the 95% band must
        // hold p in >= 95% of them up to sampling error; 3 standard errors = 3 sqrt(0.05 * 0.95 / 2000) = 0.0146.
        // A one-sided bound used twice (a 90% interval) covers ~0.90 and fails this.
        java.util.SplittableRandom rng = new java.util.SplittableRandom(7);
        int sets = 2000, m = 200, covered = 0;
        double p = 0.3;
        for (int s = 0; s < sets; s++) {
            int[] correct = new int[m];
            for (int i = 0; i < m; i++) {
                correct[i] = rng.nextDouble() < p ? 1 : 0;
            }
            double[] radius = new double[m];
            java.util.Arrays.fill(radius, 0.5);
            Table t = Table.create("sim", tech.tablesaw.api.IntColumn.create("correct", correct),
                    tech.tablesaw.api.DoubleColumn.create("radius", radius));
            double[][] b = CertifiedAccuracy.band(t, new double[] {0.5}, 0.95);
            if (b[0][0] <= p && p <= b[1][0]) {
                covered++;
            }
        }
        assertTrue(covered / (double) sets >= 0.95 - 0.0146, "coverage " + covered / (double) sets);
    }

    @Test
    void sequentialLogsAreDrawnAtTheirTargetRadiiOnly() throws IOException {
        Path log = dir.resolve("seq.tsv");
        Files.writeString(log, "idx\tlabel\tpredict\tradius\tcorrect\tsamples\ttime\n"
                + "0\t3\t3\t0.61\t1\t9700\t0.5\n20\t1\t1\t0.27\t1\t4000\t0.2\n");
        Files.writeString(dir.resolve("seq.tsv.json"), "{\"settings\": {\"kind\": \"certify-sequential\", "
                + "\"radii\": [0.0, 0.25, 0.5], \"sigma\": 0.5, \"trainingMethod\": \"smoothadv\"}}");
        CertifyLogs.Log l = CertifyLogs.load(log);
        assertTrue(l.sequential());
        assertArrayEquals(new double[] {0, 0.25, 0.5}, l.exactRadii(), 0);
        var curve = Curves.of(List.of(l, new CertifyLogs.Log("plain", log, l.table(), 0.5, "gaussian"))).get(0);
        assertArrayEquals(new double[] {0, 0.25, 0.5}, curve.radii(), 0);
        assertArrayEquals(new double[] {1, 1, 0.5}, curve.accuracy(), 1e-12);
        assertEquals("renamed", l.labelled("renamed").table().name());
        assertEquals("seq", l.table().name()); // the original is unchanged
    }

    @Test
    void highProbabilityAccuracySubtractsTheBernsteinTerm() throws IOException {
        Table t = fourExamples();
        double alpha = 0.001, rho = 0.01, m = 4, l = Math.log(100);
        double expected = 0.5 - (alpha + Math.sqrt(alpha * (1 - alpha) * l / m) + l / (3 * m));
        assertEquals(expected, CertifiedAccuracy.highProbability(t, 0, alpha, rho), 1e-12);
    }

    @Test
    void envelopeTakesTheBestModelPerRadiusAndBreaksTiesByCleanAccuracy() throws IOException {
        Table a = fourExamples(); // clean 0.5, 0.25 at r = 0.5
        Table b = CertifyLogs.read(referenceLog("b.tsv",
                "0\t3\t3\t0.6\t1\t0:00:01", "20\t1\t0\t0.1\t0\t0:00:01", "40\t2\t2\t0.05\t1\t0:00:01",
                "60\t7\t7\t0.05\t1\t0:00:01")); // clean 0.75, 0.25 at r = 0.5, 0 at r = 0.7
        Table env = CertifiedAccuracy.envelope(List.of(a, b), new double[] {0, 0.5, 0.7});
        assertArrayEquals(new double[] {0.75, 0.25, 0.25}, env.doubleColumn("accuracy").asDoubleArray(), 1e-12);
        assertEquals(List.of("b", "b", "a"), env.stringColumn("model").asList()); // tie at 0.5 -> higher clean
    }

    @Test
    void summaryPrintsAsTextMarkdownLatexAndCsv() throws IOException {
        Table s = CertifiedAccuracy.summary(List.of(fourExamples()), new double[] {0, 0.5});
        assertEquals(List.of("log", "n", "smoothed acc (r=0)", "abstain fraction", "ACR", "r=0", "r=0.5"),
                s.columnNames());
        assertEquals("| log | n | smoothed acc (r=0) | abstain fraction | ACR | r=0 | r=0.5 |\n"
                + "|---|---:|---:|---:|---:|---:|---:|\n"
                + "| a | 4 | 0.500 | 0.250 | 0.275 | 0.500 | 0.250 |\n", TableFormats.markdown(s));
        assertTrue(TableFormats.latex(s).contains("a & 4 & 0.500 & 0.250 & 0.275 & 0.500 & 0.250 \\\\"));
        assertEquals("log,n,smoothed acc (r=0),abstain fraction,ACR,r=0,r=0.5\na,4,0.500,0.250,0.275,0.500,0.250\n",
                TableFormats.csv(s));
        assertTrue(TableFormats.text(s).startsWith("log  n  smoothed acc (r=0)  abstain fraction"), TableFormats.text(s));
    }

    @Test
    void foreignOrMalformedLogsAreRejectedWithTheFile() throws IOException {
        Path predictLog = Files.writeString(dir.resolve("p.tsv"), "idx\tlabel\tpredict\tcorrect\ttime\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CertifyLogs.read(predictLog));
        assertTrue(e.getMessage().startsWith(predictLog + " is not a certify log"), e.getMessage());
        Path bad = referenceLog("bad.tsv", "0\t3\t3\tnan-ish\t1\t0:00:01");
        e = assertThrows(IllegalArgumentException.class, () -> CertifyLogs.read(bad));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
        assertThrows(IOException.class, () -> CertifyLogs.read(dir.resolve("missing.tsv")));
    }
}
