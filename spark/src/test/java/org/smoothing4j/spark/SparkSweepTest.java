package org.smoothing4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smoothing4j.cli.Engine;
import org.smoothing4j.cli.Main;

/**
 * {@code smoothing4j-spark sweep} on local[2]: the cells as Spark tasks give the local sweep's run folders - each cell's
 * model fingerprint, training log but for times, and certify rows - and the driver's table equals the local one but
 * for the time columns.
 */
@Tag("slow") // over 15 s: in make test, not in make check
class SparkSweepTest {
    @TempDir
    Path dir;

    /** 2 x 2 cells: two methods, two seeds; LeNet on 256 images, CERTIFY n = 100 on 4 test images. */
    static List<String> sweep(Path out) {
        return new ArrayList<>(List.of("sweep", "--out", out.toString(), "--axis", "method=gaussian,smoothadv",
                "--axis", "train.seed=1,2", "--train", "--dataset fashion-mnist --arch lenet --sigma 0.5 --epochs 1 "
                        + "--train-size 256 --lr 0.02", "--certify", "--n0 20 --n 100 --skip 2500"));
    }

    /** A TSV file's lines without the named columns (of its header). */
    static List<String> without(Path tsv, String... columns) throws IOException {
        List<String> lines = Files.readAllLines(tsv);
        List<String> header = List.of(lines.get(0).split("\t", -1));
        return lines.stream().map(l -> {
            List<String> c = List.of(l.split("\t", -1));
            List<String> kept = new ArrayList<>();
            for (int k = 0; k < c.size(); k++) {
                if (!List.of(columns).contains(header.get(k))) {
                    kept.add(c.get(k));
                }
            }
            return String.join("\t", kept);
        }).toList();
    }

    @Test
    void aSweepOnSparkWritesTheLocalSweepsRunFoldersAndTable() throws IOException {
        Path local = dir.resolve("local"), spark = dir.resolve("spark");
        assertEquals(0, Main.run(Engine.LOCAL, sweep(local).toArray(String[]::new)));
        List<String> args = sweep(spark);
        args.addAll(1, List.of("--master", "local[2]"));
        String[] r = SparkRunsTest.spark(args);
        assertEquals("0", r[0], r[1]);
        assertTrue(r[1].contains("4 of 4 cells done"), r[1]);
        assertEquals(without(local.resolve("grid.tsv"), "train_s", "certify_s"),
                without(spark.resolve("grid.tsv"), "train_s", "certify_s"), "the tables but for the times");
        for (String cell : List.of("method=gaussian_train.seed=1", "method=smoothadv_train.seed=2")) {
            assertEquals(SparkRunsTest.rows(local.resolve(cell).resolve("certify.tsv")),
                    SparkRunsTest.rows(spark.resolve(cell).resolve("certify.tsv")), cell);
            assertEquals(without(local.resolve(cell).resolve("model").resolve("train.tsv"), "time", "images_per_s"),
                    without(spark.resolve(cell).resolve("model").resolve("train.tsv"), "time", "images_per_s"), cell);
        }
        List<String> fingerprints = Files.readAllLines(spark.resolve("grid.tsv")).stream().skip(1)
                .map(l -> l.split("\t")[13]).distinct().toList();
        assertEquals(4, fingerprints.size(), "four models, each its own fingerprint: " + fingerprints);
    }
}
