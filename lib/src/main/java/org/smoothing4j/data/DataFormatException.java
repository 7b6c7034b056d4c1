package org.smoothing4j.data;

import java.io.IOException;
import java.nio.file.Path;

/** A data file that is missing, truncated or not in the expected format; the message names the file. */
public class DataFormatException extends IOException {
    public DataFormatException(Path file, String problem) {
        super(file + ": " + problem);
    }
}
