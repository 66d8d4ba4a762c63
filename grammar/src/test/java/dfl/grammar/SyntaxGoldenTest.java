package dfl.grammar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dfl.diag.DiagnosticRenderer;
import dfl.source.SourceFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden tests for syntax errors: every {@code src/test/resources/syntax/NAME.dfl} must fail to
 * parse, and its rendered diagnostics plus the {@code incomplete} flag must equal
 * {@code NAME.expected}. Run with {@code -Ddfl.golden.update=true} to rewrite the expected files
 * (then read the diff before committing).
 *
 * <p>A first line {@code // golden-limits: maxTokens=20} (or maxChars, maxNesting,
 * maxExpressionDepth) parses with lowered limits, so size limits are tested without huge files.
 */
class SyntaxGoldenTest {

    private static final Path DIR = Path.of("src/test/resources/syntax");
    private static final boolean UPDATE = Boolean.getBoolean("dfl.golden.update");

    @TestFactory
    Stream<DynamicTest> syntaxErrors() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(DIR)) {
            files = s.filter(p -> p.toString().endsWith(".dfl")).sorted().toList();
        }
        assertTrue(files.size() >= 20, "expected at least 20 golden programs, found " + files.size());
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> check(f)));
    }

    private static void check(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        SourceFile src = new SourceFile(file.getFileName().toString(), text);
        ParseResult r = Parse.program(src, limits(text));
        assertFalse(r.diagnostics().isEmpty(), "golden program parsed without errors: " + file);
        assertTrue(r.program().isEmpty(), "a program with errors must not yield a tree");
        String actual = DiagnosticRenderer.renderAll(src, r.diagnostics()) + "\n\nincomplete: " + r.incomplete() + "\n";
        Path expectedFile = Path.of(file.toString().replaceAll("\\.dfl$", ".expected"));
        if (UPDATE) {
            Files.writeString(expectedFile, actual, StandardCharsets.UTF_8);
            return;
        }
        assertTrue(Files.exists(expectedFile), "missing " + expectedFile + "; run with -Ddfl.golden.update=true");
        assertEquals(Files.readString(expectedFile, StandardCharsets.UTF_8), actual, file.toString());
    }

    private static Parse.Limits limits(String text) {
        Parse.Limits d = Parse.Limits.DEFAULT;
        String prefix = "// golden-limits:";
        if (!text.startsWith(prefix)) return d;
        int chars = d.maxChars(), tokens = d.maxTokens(), nesting = d.maxNesting(), depth = d.maxExpressionDepth();
        for (String kv : text.substring(prefix.length(), text.indexOf('\n')).trim().split("\\s+")) {
            String[] p = kv.split("=");
            int v = Integer.parseInt(p[1]);
            switch (p[0]) {
                case "maxChars" -> chars = v;
                case "maxTokens" -> tokens = v;
                case "maxNesting" -> nesting = v;
                case "maxExpressionDepth" -> depth = v;
                default -> throw new IllegalArgumentException("unknown limit " + p[0]);
            }
        }
        return new Parse.Limits(chars, tokens, nesting, depth);
    }
}
