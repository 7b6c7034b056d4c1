package org.smoothing4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code analyze} on a reference-format log: the summary's column names, {@code --bands} in the table and plot. */
class AnalyzeCommandTest {
    @TempDir
    Path dir;

    @Test
    void bandsPrintTheClopperPearsonIntervalAndDrawIt() throws Exception {
        StringBuilder sb = new StringBuilder("idx\tlabel\tpredict\tradius\tcorrect\ttime\n");
        for (int i = 0; i < 100; i++) { // 60 of 100 certified at 0.5, 20 more correct at 0.1, 20 abstentions
            String row = i < 60 ? "3\t3\t0.6\t1" : i < 80 ? "3\t3\t0.1\t1" : "3\t-1\t0.0\t0";
            sb.append(i).append('\t').append(row).append("\t0:00:01.5\n");
        }
        Path log = Files.writeString(dir.resolve("g.tsv"), sb.toString());
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        int code = cmd.execute("analyze", log.toString(), "--radii", "0,0.5", "--bands", "--format", "md", "--plot",
                dir.resolve("fig").toString());
        assertEquals(0, code, err.toString());
        String text = out.toString();
        assertTrue(text.contains("| log | n | smoothed acc (r=0) | abstain fraction | ACR | r=0 | r=0.5 |"), text);
        // 80/100 and 60/100: exact 95% Clopper-Pearson intervals [0.708, 0.873] and [0.497, 0.697]
        assertTrue(text.contains("| g | 0.800 [0.708, 0.873] | 0.600 [0.497, 0.697] |"), text);
        assertTrue(Files.size(dir.resolve("fig.png")) > 1000);
        assertTrue(Files.readString(dir.resolve("fig.svg")).contains("<svg"));
    }
}
