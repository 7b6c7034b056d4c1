package org.smoothing4j.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;

/**
 * The data sets smoothing4j knows by name, read from a data root folder:
 * <ul>
 *   <li>{@code fashion-mnist}, {@code mnist}: gzipped or plain IDX files with the MNIST names in
 *       {@code ROOT/<name>/} (installed by {@code data/fetch});</li>
 *   <li>{@code cifar10}: the CIFAR-10 binary batches in {@code ROOT/cifar10/} or
 *       {@code ROOT/cifar10/cifar-10-batches-bin/} (not downloadable here; bring your own copy).</li>
 * </ul>
 * A name that is an existing folder is read as IDX files in that folder. The data root is the system property
 * {@code smoothing4j.data}, else the environment variable {@code SMOOTHING4J_DATA}, else the first
 * {@code data/sets} folder found from the working directory upwards.
 */
public final class Datasets {
    public static final List<String> NAMES = List.of("fashion-mnist", "mnist", "cifar10");

    private static final List<String> FASHION_CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress",
            "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    private static final List<String> CIFAR10_CLASSES = List.of("airplane", "automobile", "bird", "cat", "deer",
            "dog", "frog", "horse", "ship", "truck");
    private static final List<String> DIGITS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    /** Human-readable names of the ten classes of a known data set (digits for unknown ones). */
    public static List<String> classNames(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "fashion-mnist" -> FASHION_CLASSES;
            case "cifar10", "cifar-10" -> CIFAR10_CLASSES;
            default -> DIGITS;
        };
    }

    private Datasets() {}

    public static LabeledImages load(String name, Split split) throws IOException {
        String key = name.toLowerCase(Locale.ROOT);
        if (key.equals("cifar10") || key.equals("cifar-10")) {
            Path dir = root().resolve("cifar10");
            if (Files.isDirectory(dir.resolve("cifar-10-batches-bin"))) {
                dir = dir.resolve("cifar-10-batches-bin");
            }
            List<String> files = split == Split.TRAIN ? Cifar10Reader.TRAIN_FILES : Cifar10Reader.TEST_FILES;
            return Cifar10Reader.read(name + "/" + split.name().toLowerCase(Locale.ROOT),
                    files.stream().map(dir::resolve).toList());
        }
        Path dir;
        if (NAMES.contains(key)) {
            dir = root().resolve(key);
        } else if (Files.isDirectory(Paths.get(name))) {
            dir = Paths.get(name);
        } else {
            throw new IllegalArgumentException("unknown data set '" + name + "': expected one of " + NAMES
                    + " or a folder of IDX files");
        }
        String prefix = split == Split.TRAIN ? "train" : "t10k";
        return IdxReader.read(key + "/" + split.name().toLowerCase(Locale.ROOT),
                idxFile(dir, prefix + "-images-idx3-ubyte"), idxFile(dir, prefix + "-labels-idx1-ubyte"), 10);
    }

    /** {@code dir/base.gz} if it exists, else {@code dir/base}; the reader reports a missing file by name. */
    private static Path idxFile(Path dir, String base) {
        Path gz = dir.resolve(base + ".gz");
        return Files.exists(gz) || !Files.exists(dir.resolve(base)) ? gz : dir.resolve(base);
    }

    /** The folder holding the data sets (see the class comment). */
    public static Path root() {
        String configured = System.getProperty("smoothing4j.data", System.getenv("SMOOTHING4J_DATA"));
        if (configured != null && !configured.isBlank()) {
            return Paths.get(configured);
        }
        for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path sets = p.resolve("data").resolve("sets");
            if (Files.isDirectory(sets)) {
                return sets;
            }
        }
        return Paths.get("data", "sets").toAbsolutePath();
    }
}
