package org.smoothing4j.io;

import java.nio.file.Files;
import java.nio.file.Path;

/** Tests' reading of this process's resident memory (VmRSS of /proc/self/status, Linux). */
public final class ResidentMemory {
    private ResidentMemory() {
    }

    /** This process's resident memory now, in MB. */
    public static double mb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
