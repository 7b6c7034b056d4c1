package org.smoothing4j.notebook;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JShell runner fails a cell in each way IJava would leave a notebook broken (an exception, a rejected snippet,
 * incomplete source, a variable reset by a later import's update) and passes what IJava runs: values kept across
 * cells, a variable declared again in a later cell, imports before declarations.
 */
class JShellNotebookTest {
    private static JShellNotebook.CellFailure failure(String... cells) {
        try (JShellNotebook nb = new JShellNotebook(new PrintStream(new ByteArrayOutputStream()))) {
            return assertThrows(JShellNotebook.CellFailure.class, () -> {
                for (int i = 0; i < cells.length; i++) {
                    nb.eval(i + 1, cells[i]);
                }
            });
        }
    }

    @Test
    void anImportAfterADeclarationThatResetsItFails() {
        // the shape of notebook 05's first cell under IJava: the import re-defines 'xs', which becomes null
        String m = failure("import java.util.*;\nArrayList<Integer> xs = new ArrayList<>(List.of(1));\n"
                + "import java.util.concurrent.*;\n", "xs.size();").getMessage();
        assertTrue(m.startsWith("cell 1, snippet `import java.util.concurrent.*;` re-defined the variable 'xs'"), m);
        assertTrue(m.contains("resets it to null"), m);
    }

    @Test
    void exceptionsRejectedAndIncompleteSnippetsFail() {
        String thrown = failure("int a = 1;", "Object o = null;\no.toString();").getMessage();
        assertTrue(thrown.startsWith("cell 2, snippet `o.toString();` threw java.lang.NullPointerException"), thrown);
        String rejected = failure("int a = \"x\";").getMessage();
        assertTrue(rejected.contains("was rejected") && rejected.contains("incompatible types"), rejected);
        String incomplete = failure("int a = (1 + ;").getMessage();
        assertTrue(incomplete.contains("cell 1"), incomplete);
        assertTrue(failure("for (int i = 0; i < 3; i++) {").getMessage().contains("incomplete source"));
    }

    @Test
    void valuesSurviveAcrossCellsAndRedeclarationsAreAllowed() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JShellNotebook nb = new JShellNotebook(new PrintStream(out))) {
            assertDoesNotThrow(() -> {
                nb.eval(1, "import java.util.*;\nimport java.util.concurrent.*;\nList<Integer> xs = new ArrayList<>(List.of(1, 2));");
                nb.eval(2, "int total = 0;\nfor (int x : xs) total += x;\nif (total != 3) throw new AssertionError(total);");
                nb.eval(3, "List<Integer> xs = List.of(5);\nif (xs.get(0) != 5) throw new AssertionError();");
                nb.eval(4, "void check() { if (total != 3) throw new AssertionError(); }\ncheck();");
            });
        }
    }

    @Test
    void codeCellsAreReadFromNotebookJson(@TempDir Path dir) throws IOException {
        Path nb = dir.resolve("x.ipynb");
        Files.writeString(nb, "{\"cells\": [{\"cell_type\": \"markdown\", \"source\": [\"# t\"]},"
                + "{\"cell_type\": \"code\", \"source\": [\"int a = 1;\\n\", \"a++;\"]},"
                + "{\"cell_type\": \"code\", \"source\": \"a;\"}], \"nbformat\": 4}");
        assertEquals(List.of("int a = 1;\na++;", "a;"), JShellNotebook.codeCells(nb));
        Path bad = dir.resolve("bad.ipynb");
        Files.writeString(bad, "{\"not\": 1}");
        IOException e = assertThrows(IOException.class, () -> JShellNotebook.codeCells(bad));
        assertTrue(e.getMessage().startsWith(bad + ": not a notebook"), e.getMessage());
    }
}
