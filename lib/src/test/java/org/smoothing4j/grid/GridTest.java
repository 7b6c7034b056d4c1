package org.smoothing4j.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smoothing4j.certify.CertifyConfig;
import org.smoothing4j.certify.SequentialConfig;
import org.smoothing4j.certify.Smoothing;
import org.smoothing4j.run.RunSpec;
import org.smoothing4j.train.TrainConfig;
import tech.tablesaw.api.Table;

/** Grids: the cells of the axes' product, refused combinations kept as cells, and the table read off their logs. */
class GridTest {
    @TempDir
    Path dir;

    private static final TrainConfig BASE = TrainConfig.defaults("fashion-mnist", "lenet", 0.5).withEpochs(1);

    /** CERTIFY at the cell's sigma, n0 = 100, n = 1000. */
    private static RunSpec certifyAt(TrainConfig c) {
        return new RunSpec.Certify(Smoothing.gaussian(c.sigma()), CertifyConfig.defaults().withN(1000));
    }

    @Test
    void cellsAreTheProductOfTheAxesTheLastVaryingFastest() {
        List<Cell> cells = Grid.of(BASE.withMethod("smoothadv"), GridTest::certifyAt)
                .over(Axis.sigma(0.25, 0.5), Axis.epsilon(0.5, 1.0, 2.0)).cells();
        assertEquals(6, cells.size());
        assertEquals(List.of("sigma=0.25_eps=0.5", "sigma=0.25_eps=1.0", "sigma=0.25_eps=2.0", "sigma=0.5_eps=0.5",
                "sigma=0.5_eps=1.0", "sigma=0.5_eps=2.0"), cells.stream().map(Cell::name).toList());
        Cell c = cells.get(5);
        assertEquals(0.5, c.train().sigma());
        assertEquals(2.0, c.train().attack().epsilon());
        assertEquals(0.5, ((RunSpec.Certify) c.certify()).smoothing().sigma(), "the certification follows sigma");
        assertEquals(Map.of("sigma", "0.5", "eps", "2.0"), c.axes());
        assertEquals("sigma=0.5 eps=2.0", c.label());
    }

    @Test
    void certificationAxesApplyAfterTheTrainingSettings() {
        Axis<Integer> n = Axis.certify("n", List.of(500, 2000), (s, v) -> new RunSpec.Certify(
                ((RunSpec.Certify) s).smoothing(), s.config().withN(v)));
        List<Cell> cells = Grid.of(BASE, GridTest::certifyAt).over(Axis.sigma(0.25, 1.0), n).cells();
        assertEquals(2000, cells.get(3).certify().config().n());
        assertEquals(1.0, ((RunSpec.Certify) cells.get(3).certify()).smoothing().sigma());
    }

    @Test
    void aRefusedCombinationIsACellWithItsReason() {
        // Laplace noise trains Gaussian augmentation and Consistency only (TrainConfig refuses it for SmoothAdv)
        List<Cell> cells = Grid.of(BASE, GridTest::certifyAt).over(Axis.method("gaussian", "smoothadv"),
                Axis.noise("gaussian", "laplace")).cells();
        assertEquals(4, cells.size());
        assertNull(cells.get(1).refused()); // gaussian x laplace
        assertNull(cells.get(2).refused()); // smoothadv x gaussian
        assertNotNull(cells.get(3).refused());
        assertTrue(cells.get(3).refused().contains("--noise laplace"), cells.get(3).refused());
        assertNull(cells.get(3).train());
    }

    @Test
    void badGridsAreRefusedWhenBuilt() {
        Grid g = Grid.of(BASE, GridTest::certifyAt).over(Axis.sigma(0.25));
        assertThrows(IllegalArgumentException.class, () -> g.over(Axis.sigma(0.5)), "two axes of one name");
        assertThrows(IllegalArgumentException.class, () -> Axis.sigma(), "no values");
        assertThrows(IllegalArgumentException.class, () -> Axis.epsilon(0.5, 0.5), "a repeated value");
        Grid onModel = Grid.ofModel(Path.of("m.onnx"), "fashion-mnist", certifyAt(BASE));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> onModel.over(Axis.sigma(1)));
        assertTrue(e.getMessage().contains("given model"), e.getMessage());
    }

    /** A reference-format certify log: {@code certified} of 100 examples correct at radius 1.0, the rest abstain. */
    private Path log(String name, int certified) throws IOException {
        StringBuilder sb = new StringBuilder("idx\tlabel\tpredict\tradius\tcorrect\ttime\n");
        for (int i = 0; i < 100; i++) {
            sb.append(i).append(i < certified ? "\t3\t3\t1.0\t1" : "\t3\t-1\t0.0\t0").append("\t0:00:01.00\n");
        }
        Files.createDirectories(dir.resolve(name));
        return Files.writeString(dir.resolve(name).resolve("certify.tsv"), sb.toString());
    }

    /** A 2 x 2 grid over given logs (certified 90, 20 / 80, 30 of 100), the last cell failed. */
    private GridResult result() throws IOException {
        Axis<Integer> n = Axis.certify("n", List.of(100, 200), (s, v) -> s);
        Grid grid = Grid.ofModel(Path.of("m.onnx"), "fashion-mnist", certifyAt(BASE))
                .over(Axis.certify("a", List.of("x", "y"), (s, v) -> s), n);
        List<Cell> cells = grid.cells();
        int[] certified = {90, 20, 80};
        List<CellResult> results = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            results.add(new CellResult(cells.get(i).name(), "m.onnx", null,
                    log(cells.get(i).name(), certified[i]).toString(), null));
        }
        results.add(new CellResult(cells.get(3).name(), null, null, null, "training diverged"));
        return GridResult.of(cells, results);
    }

    @Test
    void theTableHasARowPerCellAndRadiusAndRecordsFailures() throws IOException {
        Table t = result().table();
        // fixed-n logs: radii 0, 0.25, ..., 1.0 (the largest certified), 5 rows per cell; the failed cell one row
        assertEquals(3 * 5 + 1, t.rowCount());
        assertEquals(List.of("a", "n", "radius", "certified", "band_low", "band_high", "acr", "clean_acc", "noisy_acc",
                "train_s", "certify_s", "samples", "examples", "fingerprint", "status"), t.columnNames());
        assertEquals(0.9, t.doubleColumn("certified").get(4), 1e-12); // x, 100, r = 1.0
        // exact 95% Clopper-Pearson interval of 90/100: [0.8238, 0.9510] (statsmodels proportion_confint beta)
        assertEquals(0.8238, t.doubleColumn("band_low").get(4), 1e-4);
        assertEquals(0.9510, t.doubleColumn("band_high").get(4), 1e-4);
        assertEquals(0.9, t.doubleColumn("acr").get(0), 1e-12);
        assertEquals(100 * (100 + 1000.0), t.doubleColumn("samples").get(0), "n0 + n per example");
        assertEquals(100.0, t.doubleColumn("certify_s").get(0), 1e-9);
        assertEquals("failed: training diverged", t.stringColumn("status").get(15));
        assertTrue(Double.isNaN(t.doubleColumn("acr").getDouble(15)));
    }

    @Test
    void pivotsAndSubGrids() throws IOException {
        GridResult r = result();
        Table acr = r.pivot("a", "n", "acr");
        assertEquals(List.of("a", "n=100", "n=200"), acr.columnNames());
        assertEquals(0.9, acr.doubleColumn("n=100").get(0), 1e-12);
        assertEquals(0.2, acr.doubleColumn("n=200").get(0), 1e-12);
        assertEquals(0.8, acr.doubleColumn("n=100").get(1), 1e-12);
        assertTrue(Double.isNaN(acr.doubleColumn("n=200").getDouble(1)), "the failed cell");
        assertEquals(0.2, r.pivot("a", "n", "certified", 1.0).doubleColumn("n=200").get(0), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> r.pivot("a", "n", "certified"), "needs a radius");
        assertThrows(IllegalArgumentException.class, () -> r.pivot("a", "b", "acr"), "no axis b");
        GridResult y = r.where("a", "y");
        assertEquals(5 + 1, y.table().rowCount(), "y,100: five radii; y,200: failed, one row");
        assertEquals(List.of("y"), y.values("a"));
        assertEquals(1, y.logs().size());
    }

    @Test
    void differencesOutsideTheBandsAlongAnAxis() throws IOException {
        // along n, at a = x: 90/100 and 20/100 have disjoint intervals at r = 0 ... 1; at a = y only one cell ran
        Table d = result().outsideBands("n");
        assertEquals(5, d.rowCount(), d.print());
        assertEquals("a=x", d.stringColumn("cells with").get(0));
        assertEquals("a=x n=100", d.stringColumn("higher").get(0));
        // along a, at n = 100: 90/100 [0.824, 0.951] and 80/100 [0.708, 0.873] overlap: no difference
        assertEquals(0, result().outsideBands("a").rowCount());
    }

    @Test
    void facetedCurvesOneChartPerValue() throws IOException {
        assertEquals(2, result().curves("a", "test").size());
        assertEquals(2, result().curves("a", "test").get(0).getSeriesMap().values().stream()
                .filter(s -> !s.getName().contains("band")).count(), "x: two cells, each a curve (and its band)");
    }

    @Test
    void sequentialCellsUseTheirTargetRadii() {
        RunSpec seq = new RunSpec.CertifySequential(Smoothing.gaussian(0.5), CertifyConfig.defaults(),
                SequentialConfig.defaults().withRadii(0, 0.5, 1.0));
        assertEquals(3, ((RunSpec.CertifySequential) Grid.of(BASE, c -> seq).over(Axis.sigma(0.5)).cells().get(0)
                .certify()).sequential().radii().length);
    }
}
