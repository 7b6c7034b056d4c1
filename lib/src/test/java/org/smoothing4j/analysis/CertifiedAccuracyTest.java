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
        assertEquals(List.of("log", "n", "clean", "abstain", "ACR", "r=0", "r=0.5"), s.columnNames());
        assertEquals("| log | n | clean | abstain | ACR | r=0 | r=0.5 |\n|---|---:|---:|---:|---:|---:|---:|\n"
                + "| a | 4 | 0.500 | 0.250 | 0.275 | 0.500 | 0.250 |\n", TableFormats.markdown(s));
        assertTrue(TableFormats.latex(s).contains("a & 4 & 0.500 & 0.250 & 0.275 & 0.500 & 0.250 \\\\"));
        assertEquals("log,n,clean,abstain,ACR,r=0,r=0.5\na,4,0.500,0.250,0.275,0.500,0.250\n", TableFormats.csv(s));
        assertTrue(TableFormats.text(s).startsWith("log  n  clean"), TableFormats.text(s));
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
