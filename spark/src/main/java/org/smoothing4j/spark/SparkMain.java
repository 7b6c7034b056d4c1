package org.smoothing4j.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.smoothing4j.cli.Main;

/**
 * {@code bin/smoothing4j-spark COMMAND [--master URL] [--partitions N] [--ship-data] [--conf KEY=VALUE]... FLAGS}: the
 * run commands of {@code bin/smoothing4j} (certify, sequential certify, predict, attack) and its sweep, with the same
 * flags, executed on Spark ({@link SparkEngine}: a sweep's cells are its tasks); also what {@code spark-submit --class
 * org.smoothing4j.spark.SparkMain} runs.
 * <ul>
 *   <li>{@code --master}: {@code local[N]}, {@code spark://HOST:PORT}, ... (else spark.master from spark-submit);</li>
 *   <li>{@code --partitions}: index ranges to split the work into (default four per core Spark offers);</li>
 *   <li>{@code --ship-data}: send the selected images to the executors (default: they read {@code --dataset} from
 *       their own {@code SMOOTHING4J_DATA}, which the launcher sets to the driver's);</li>
 *   <li>{@code --conf KEY=VALUE}: any Spark setting. The Spark UI is off unless {@code --conf spark.ui.enabled=true}.</li>
 * </ul>
 * Flags are checked, and model and data loaded, on the driver before Spark starts: a refused command starts no job.
 */
public final class SparkMain {
    static final Set<String> COMMANDS = Set.of("certify", "predict", "attack", "sweep");

    private SparkMain() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        if (args.length == 0 || !COMMANDS.contains(args[0])) {
            System.err.println("smoothing4j-spark: error: the first argument must be one of " + COMMANDS + ", got '"
                    + (args.length == 0 ? "" : args[0]) + "' (the flags are those of bin/smoothing4j COMMAND, "
                    + "plus --master, --partitions, --ship-data, --conf)");
            return 2;
        }
        SparkConf conf = new SparkConf().setAppName("smoothing4j " + args[0]).set("spark.ui.enabled", "false");
        List<String> rest = new ArrayList<>();
        int partitions = 0;
        boolean ship = false;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--master" -> conf.setMaster(value(args, ++i, a));
                    case "--partitions" -> {
                        String v = value(args, ++i, a);
                        if (!v.matches("[1-9][0-9]{0,6}")) {
                            throw new IllegalArgumentException("--partitions must be a whole number >= 1, got '" + v + "'");
                        }
                        partitions = Integer.parseInt(v);
                    }
                    case "--ship-data" -> ship = true;
                    case "--conf" -> {
                        String v = value(args, ++i, a);
                        int eq = v.indexOf('=');
                        if (eq < 1) {
                            throw new IllegalArgumentException("--conf must be KEY=VALUE, got '" + v + "'");
                        }
                        conf.set(v.substring(0, eq), v.substring(eq + 1));
                    }
                    default -> rest.add(a);
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println(args[0] + ": error: " + e.getMessage());
            return 2;
        }
        if (!conf.contains("spark.master")) {
            System.err.println(args[0] + ": error: no Spark master: give --master local[N] or spark://HOST:PORT (or run "
                    + "under spark-submit)");
            return 2;
        }
        executorSettings(conf);
        JavaSparkContext[] sc = {null};
        try {
            return Main.run(new SparkEngine(() -> sc[0] != null ? sc[0] : (sc[0] = new JavaSparkContext(conf)),
                    partitions, ship), rest.toArray(String[]::new));
        } finally {
            if (sc[0] != null) {
                sc[0].stop();
            }
        }
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }

    /**
     * The executors get this JVM's native settings (the launcher's bin/jvm-options, passed as the system property
     * smoothing4j.executorJavaOptions) and environment (OMP_NUM_THREADS, OPENBLAS_*, SMOOTHING4J_DATA), unless set.
     */
    private static void executorSettings(SparkConf conf) {
        String options = System.getProperty("smoothing4j.executorJavaOptions");
        if (options != null && !conf.contains("spark.executor.extraJavaOptions")) {
            // Spark sets an executor's heap itself (spark.executor.memory): the launcher's -Xmx becomes that
            StringBuilder kept = new StringBuilder();
            for (String o : options.trim().split("\\s+")) {
                if (o.startsWith("-Xmx")) {
                    conf.setIfMissing("spark.executor.memory", o.substring(4));
                } else {
                    kept.append(kept.length() == 0 ? "" : " ").append(o);
                }
            }
            conf.set("spark.executor.extraJavaOptions", kept.toString());
        }
        for (String env : List.of("SMOOTHING4J_DATA", "OMP_NUM_THREADS", "OPENBLAS_CORETYPE", "OPENBLAS_THREAD_TIMEOUT",
                "MALLOC_ARENA_MAX", "SMOOTHING4J_HOME")) {
            String v = System.getenv(env);
            if (env.equals("SMOOTHING4J_DATA") && v == null) {
                v = System.getProperty("smoothing4j.data", org.smoothing4j.data.Datasets.root().toString());
            }
            if (v != null && !conf.contains("spark.executorEnv." + env)) {
                conf.set("spark.executorEnv." + env, v);
            }
        }
    }
}
