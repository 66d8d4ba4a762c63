package dfl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden files: every {@code golden/check/*.dfl} beside its expected {@code dfl check} output, every
 * {@code golden/plan/*.dfl} and every program under {@code examples/} beside its expected {@code dfl plan}
 * output. Run with {@code -Ddfl.golden.update=true} to rewrite the expected files (then read the diff).
 */
class GoldenTest {

    private static final boolean UPDATE = Boolean.getBoolean("dfl.golden.update");
    private static final Path GOLDEN = Path.of("src/test/resources/golden");
    private static final Path EXAMPLES = Path.of("../examples");

    @TestFactory
    Stream<DynamicTest> goldens() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path f : dflFiles(GOLDEN.resolve("check"))) {
            tests.add(DynamicTest.dynamicTest("check " + f.getFileName(), () -> compare(f, "check", f.getParent().resolve(stem(f) + ".expected"))));
        }
        for (Path f : dflFiles(GOLDEN.resolve("plan"))) {
            tests.add(DynamicTest.dynamicTest("plan " + f.getFileName(), () -> compare(f, "plan", f.getParent().resolve(stem(f) + ".expected"))));
        }
        for (Path f : dflFiles(EXAMPLES)) {
            Path expected = GOLDEN.resolve("examples").resolve(EXAMPLES.relativize(f).toString().replace('/', '-').replace(".dfl", ".plan"));
            tests.add(DynamicTest.dynamicTest("example " + EXAMPLES.relativize(f), () -> compare(f, "plan", expected)));
        }
        assertFalse(tests.isEmpty(), "no golden files found under " + GOLDEN.toAbsolutePath());
        return tests.stream();
    }

    private static List<Path> dflFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".dfl") && !p.toString().contains("/target/")).sorted().toList();
        }
    }

    private static String stem(Path f) {
        String n = f.getFileName().toString();
        return n.substring(0, n.length() - ".dfl".length());
    }

    /** Runs {@code dfl COMMAND FILE} from the file's folder (so diagnostics name the bare file) and compares. */
    private static void compare(Path file, String command, Path expectedFile) throws IOException {
        String actual = run(command, file);
        if (UPDATE) {
            Files.createDirectories(expectedFile.getParent());
            Files.writeString(expectedFile, actual, StandardCharsets.UTF_8);
            return;
        }
        String expected = Files.exists(expectedFile) ? Files.readString(expectedFile, StandardCharsets.UTF_8) : "<missing " + expectedFile + ">";
        assertEquals(expected, actual, "golden mismatch for " + file + " (rewrite with -Ddfl.golden.update=true and review the diff)");
    }

    static String run(String command, Path file) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String name = file.getFileName().toString();
        int code = Main.executeIn(file.toAbsolutePath().getParent(), new String[] {command, name}, new PrintWriter(out, true), new PrintWriter(err, true));
        return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
