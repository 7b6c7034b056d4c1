package org.smoothing4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smoothing4j.cli.Engine;
import org.smoothing4j.cli.Main;
import org.smoothing4j.data.Datasets;
import org.smoothing4j.data.Split;
import org.smoothing4j.io.Progress;
import org.smoothing4j.train.TrainConfig;
import org.smoothing4j.train.TrainingRun;

/**
 * A real Spark standalone cluster on 127.0.0.1, started by the test from the jars this build uses (a master and two
 * workers of one core each, their executors launched by the workers), a certify job submitted to it, one worker and
 * its executor killed while the job runs: the job finishes on the other worker with the rows of a single-process
 * run; then a sweep on the worker left gives the table of a local sweep but for its times. Everything the test starts
 * is stopped by it.
 */
@Tag("slow") // over 15 s: in make test, not in make check
class StandaloneClusterTest {
    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();

    @Test
    void aJobSurvivesAKilledWorkerAndWritesTheRowsOfOneProcessAndASweepRunsThere() throws Exception {
        TrainConfig c = TrainConfig.defaults("fashion-mnist", "mlp", 0.5).withEpochs(1).withBatch(128).withTrainSize(512);
        Path model = new TrainingRun(c, Datasets.load("fashion-mnist", Split.TRAIN),
                Datasets.load("fashion-mnist", Split.TEST)).run(dir.resolve("model"), false, t -> Progress.none(),
                        new PrintStream(PrintStream.nullOutputStream()));
        List<String> run = new ArrayList<>(List.of("certify", "--dataset", "fashion-mnist", "--model", model.toString(),
                "--sigma", "0.5", "--skip", "500", "--n", "60000", "--batch", "500"));
        Path local = dir.resolve("local.tsv");
        List<String> localArgs = new ArrayList<>(run);
        localArgs.addAll(List.of("--out", local.toString()));
        assertEquals(0, Main.run(Engine.LOCAL, localArgs.toArray(String[]::new)));

        Path home = sparkHome();
        int masterPort = freePort();
        try {
            start("master", home, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
                    Integer.toString(masterPort), "--webui-port", Integer.toString(freePort()));
            String url = "spark://127.0.0.1:" + masterPort;
            Process worker1 = start("worker1", home, "org.apache.spark.deploy.worker.Worker", url, "--host", "127.0.0.1",
                    "--cores", "1", "--memory", "3g", "--webui-port", Integer.toString(freePort()), "--work-dir",
                    dir.resolve("work1").toString());
            start("worker2", home, "org.apache.spark.deploy.worker.Worker", url, "--host", "127.0.0.1", "--cores", "1",
                    "--memory", "3g", "--webui-port", Integer.toString(freePort()), "--work-dir",
                    dir.resolve("work2").toString());
            waitForLines(dir.resolve("worker1.log"), "Successfully registered with master", 120);
            waitForLines(dir.resolve("worker2.log"), "Successfully registered with master", 120);

            Path out = dir.resolve("cluster.tsv");
            List<String> sparkArgs = new ArrayList<>(run.subList(0, 1));
            sparkArgs.addAll(List.of("--master", url, "--partitions", "20", "--conf", "spark.driver.host=127.0.0.1",
                    "--conf", "spark.executor.memory=1g", "--conf", "spark.task.maxFailures=4"));
            sparkArgs.addAll(run.subList(1, run.size()));
            sparkArgs.addAll(List.of("--out", out.toString()));
            System.setProperty("smoothing4j.executorJavaOptions", String.join(" ", executorOptions()));
            CompletableFuture<Integer> job = CompletableFuture.supplyAsync(
                    () -> SparkMain.run(sparkArgs.toArray(String[]::new)));
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
            while ((!Files.exists(out) || Files.readAllLines(out).size() < 1 + 3) && System.nanoTime() < deadline
                    && !job.isDone()) {
                Thread.sleep(100);
            }
            assertTrue(!job.isDone(), "the job ended before the worker could be killed: " + job.getNow(-1)
                    + executorLogs());
            int rowsAtKill = Files.readAllLines(out).size() - 1;
            kill(worker1); // a lost worker and its executor, mid-job
            int code;
            try {
                code = job.get(6, TimeUnit.MINUTES);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new AssertionError("the job did not finish in 6 minutes after the kill" + executorLogs(), e);
            }
            assertEquals(0, code, executorLogs());
            assertTrue(rowsAtKill < 20, "killed after " + rowsAtKill + " of 20 rows");
            assertEquals(SparkRunsTest.rows(local), SparkRunsTest.rows(out));

            // a sweep on the cluster that is left (one worker): its cells as tasks, the local sweep's table
            Path localSweep = dir.resolve("sweep-local"), clusterSweep = dir.resolve("sweep-cluster");
            List<String> sweep = new ArrayList<>(List.of("sweep", "--axis", "sigma=0.25,0.5", "--train",
                    "--dataset fashion-mnist --arch mlp --epochs 1 --batch 128 --train-size 256", "--certify",
                    "--n0 20 --n 200 --skip 2500"));
            List<String> localArgs2 = new ArrayList<>(sweep);
            localArgs2.addAll(List.of("--out", localSweep.toString()));
            assertEquals(0, Main.run(Engine.LOCAL, localArgs2.toArray(String[]::new)));
            List<String> clusterArgs = new ArrayList<>(sweep.subList(0, 1));
            clusterArgs.addAll(List.of("--master", url, "--conf", "spark.driver.host=127.0.0.1", "--conf",
                    "spark.executor.memory=1g", "--out", clusterSweep.toString()));
            clusterArgs.addAll(sweep.subList(1, sweep.size()));
            int sweepCode = CompletableFuture.supplyAsync(() -> SparkMain.run(clusterArgs.toArray(String[]::new)))
                    .get(6, TimeUnit.MINUTES);
            assertEquals(0, sweepCode, executorLogs());
            assertEquals(SparkSweepTest.without(localSweep.resolve("grid.tsv"), "train_s", "certify_s"),
                    SparkSweepTest.without(clusterSweep.resolve("grid.tsv"), "train_s", "certify_s"));
        } finally {
            System.clearProperty("smoothing4j.executorJavaOptions");
            for (Process p : started) {
                kill(p);
            }
        }
    }

    /** The executors' stderr (the workers write them under their work folders), for failure messages. */
    private String executorLogs() throws IOException {
        StringBuilder b = new StringBuilder();
        for (String w : List.of("work1", "work2")) {
            if (!Files.isDirectory(dir.resolve(w))) {
                continue;
            }
            try (Stream<Path> files = Files.walk(dir.resolve(w))) {
                for (Path f : files.filter(p -> p.getFileName().toString().equals("stderr")).toList()) {
                    List<String> lines = Files.readAllLines(f);
                    b.append("\n--- ").append(f).append(":\n")
                            .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
                }
            }
        }
        return b.toString();
    }

    /** What the executors run with: this JVM's -D, -X and --add-opens options but the heap (Spark sets that). */
    private static List<String> executorOptions() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> (a.startsWith("-D") && !a.startsWith("-Dsmoothing4j.executor")) || a.startsWith("--add-opens"))
                .toList();
    }

    /** A SPARK_HOME whose jars/ holds this test's class path (folders of classes packed as jars). */
    private Path sparkHome() throws IOException {
        Path home = Files.createDirectories(dir.resolve("spark-home"));
        Path jars = Files.createDirectories(home.resolve("jars"));
        Files.writeString(home.resolve("RELEASE"), "smoothing4j test cluster\n");
        int n = 0;
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path p = Path.of(entry);
            if (Files.isRegularFile(p) && entry.endsWith(".jar")) {
                Files.createSymbolicLink(jars.resolve(n++ + "-" + p.getFileName()), p.toAbsolutePath());
            } else if (Files.isDirectory(p)) {
                jarOf(p, jars.resolve(n++ + "-classes.jar"));
            }
        }
        return home;
    }

    private static void jarOf(Path folder, Path jar) throws IOException {
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file);
                Stream<Path> all = Files.walk(folder)) {
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(folder.relativize(p).toString().replace('\\', '/')));
                Files.copy(p, out);
                out.closeEntry();
            }
        }
    }

    private Process start(String name, Path home, String mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-Dorg.slf4j.simpleLogger.log.org.apache.spark=info", "-cp", home.resolve("jars") + "/*"));
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.startsWith("-Dio.netty") || a.startsWith("-Djdk.reflect"))
                .toList());
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        pb.environment().put("SPARK_HOME", home.toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.13"); // a SPARK_HOME of jars only: no build folders to look at
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().put("SMOOTHING4J_DATA", Datasets.root().toString());
        Process p = pb.start();
        started.add(p);
        return p;
    }

    private void waitForLines(Path log, String text, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(text)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("'" + text + "' not in " + log + " after " + seconds + " s:\n"
                + (Files.exists(log) ? Files.readString(log) : "(no log)"));
    }

    /** The process and every process it started (a worker's executors). */
    private static void kill(Process p) throws InterruptedException {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
