package dfl.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dfl.diag.Code;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Keeps docs/diagnostics.md, the code catalog and the golden files in step. */
class DiagnosticsDocTest {

    @Test
    void everyCodeIsDocumentedWithItsTitle() throws IOException {
        String doc = Files.readString(Path.of("../docs/diagnostics.md"));
        List<String> missing = new ArrayList<>();
        for (Code c : Code.values()) {
            if (!doc.contains("| " + c.printed() + " | " + c.title() + " |")) missing.add(c.printed() + " " + c.title());
        }
        assertTrue(missing.isEmpty(), "docs/diagnostics.md lacks rows for: " + missing);
    }

    @Test
    void everyCompileTimeCodeHasAGoldenFile() throws IOException {
        StringBuilder all = new StringBuilder();
        for (Path dir : List.of(Path.of("src/test/resources/golden/check"), Path.of("../grammar/src/test/resources/syntax"))) {
            try (Stream<Path> s = Files.list(dir)) {
                for (Path p : s.filter(p -> p.toString().endsWith(".expected")).toList()) all.append(Files.readString(p));
            }
        }
        List<String> missing = new ArrayList<>();
        for (Code c : Code.values()) {
            if (!c.atRunTime() && !all.toString().contains("[" + c.printed() + "]")) missing.add(c.printed());
        }
        assertTrue(missing.isEmpty(), "no golden file shows: " + missing);
    }
}
