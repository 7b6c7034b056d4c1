package org.smoothing4j.cli;

import org.smoothing4j.io.Backend;
import org.smoothing4j.io.Version;
import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the library version, the ND4J backend and native build, Java and OS. */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {
            "smoothing4j " + Version.get(),
            Backend.current().toString(),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + "), "
                    + System.getProperty("os.name") + " " + System.getProperty("os.arch"),
        };
    }
}
