package org.smoothing4j.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smoothing4j.analysis.Curve;
import org.smoothing4j.io.Json;
import org.smoothing4j.io.TsvLog;
import tech.tablesaw.api.Table;

class AttackLogsTest {
    @TempDir
    Path dir;

    /** An attack log with the settings file the attack command writes beside it. */
    private Path log(String name, String attack, String... rows) throws IOException {
        StringBuilder sb = new StringBuilder("idx\tlabel\tpredict\tbasePredict\tcorrect\tnorm\ttime\n");
        for (String r : rows) {
            sb.append(r).append('\n');
        }
        Path file = Files.writeString(dir.resolve(name), sb.toString());
        Json.writeAtomically(TsvLog.settingsFile(file), Map.of("settings", Map.of("kind", "attack", "sigma", 0.5,
                "attack", attack, "target", "smooth", "mTest", 16, "n", 1000)));
        return file;
    }

    @Test
    void empiricalAccuracyCountsAbstentionsAsWrong() throws IOException {
        AttackLogs.Log l = AttackLogs.load(log("a.tsv",
                "PgdL2[epsilon=0.5, steps=20, objective=SMOOTH, gradients=backprop]",
                "0\t9\t9\t9\t1\t0.5000\t0:00:01.00",
                "100\t3\t-1\t3\t0\t0.5000\t0:00:01.00",
                "200\t1\t4\t4\t0\t0.4900\t0:00:01.00",
                "300\t2\t2\t2\t1\t0.5000\t0:00:01.00"));
        assertEquals(0.5, l.epsilon());
        assertEquals(20, l.steps());
        assertEquals("pgd", l.attack());
        assertEquals("backprop", l.gradient());
        assertEquals(16, l.mTest());
        assertEquals(4, l.images());
        assertEquals(0.5, l.accuracy());
        assertEquals(0.4975, l.meanNorm(), 1e-12);
        Table t = AttackLogs.summary(List.of(l));
        assertEquals(0.5, t.doubleColumn("empirical accuracy").get(0));
    }

    @Test
    void namesSteinVariantsAndDrawsADashedCurveFromCleanAccuracy() throws IOException {
        assertEquals("stein-baseline",
                AttackLogs.gradientName("PgdL2[epsilon=1.0, steps=20, objective=SMOOTH, gradients=SteinGradient[sigma=0.5, baseline=true, antithetic=false]]"));
        assertEquals("stein-antithetic",
                AttackLogs.gradientName("SteinGradient[sigma=0.5, baseline=false, antithetic=true]"));
        assertEquals("stein", AttackLogs.gradientName("SteinGradient[sigma=0.5, baseline=false, antithetic=false]"));
        AttackLogs.Log one = AttackLogs.load(log("one.tsv", "PgdL2[epsilon=1.0, steps=20, objective=SMOOTH, gradients=backprop]",
                "0\t1\t2\t2\t0\t1.0000\t0:00:01.00"));
        AttackLogs.Log half = AttackLogs.load(log("half.tsv", "PgdL2[epsilon=0.5, steps=20, objective=SMOOTH, gradients=backprop]",
                "0\t1\t1\t1\t1\t0.5000\t0:00:01.00"));
        Curve c = AttackLogs.empiricalCurve("empirical", List.of(one, half), 0.9);
        assertArrayEquals(new double[] {0, 0.5, 1.0}, c.radii());
        assertArrayEquals(new double[] {0.9, 1.0, 0.0}, c.accuracy());
        assertEquals(Curve.Style.DASHED, c.style());
    }

    @Test
    void certifyLogIsNotAnAttackLog() throws IOException {
        Path p = Files.writeString(dir.resolve("c.tsv"), "idx\tlabel\tpredict\tradius\tcorrect\ttime\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AttackLogs.load(p));
        assertTrue(e.getMessage().contains("is not an attack log"), e.getMessage());
    }
}
