package dfl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What users of other command-line tools expect: completion, NO_COLOR and --color, JSON diagnostics, several files and '-'. */
class CliConventionsTest {

    private static final String BAD = "prior = diffusion(\"mnist\");\nsample x with tds(particle = 16);\n";
    private static final String WARN = "prior = diffusion(\"mnist\");\nunused = 3;\nsample x;\n";

    @Test
    void completionScriptCoversTheCommands(@TempDir Path dir) {
        CliTest.Outcome o = CliTest.dfl(dir, "completion");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("complete -F _complete_dfl"), o.out().substring(0, 300));
        for (String c : List.of("check", "plan", "fmt", "run", "summary", "repl", "train", "--message-format", "--particles")) {
            assertTrue(o.out().contains(c), c);
        }
    }

    @Test
    void colorFollowsTheOptionAndNoColor(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("bad.dfl"), BAD);
        String always = CliTest.dfl(dir, "check", "bad.dfl", "--color", "always").err();
        assertTrue(always.startsWith("\u001b[1;31mError[DFL-E0105]"), always);
        assertFalse(CliTest.dfl(dir, "--color=never", "check", "bad.dfl").err().contains("\u001b["));
        assertFalse(CliTest.dfl(dir, "check", "bad.dfl").err().contains("\u001b["), "auto: not a terminal here");
        assertTrue(CliTest.dfl(dir, "--color", "always", "--help").out().contains("\u001b["), "help follows --color too");
        assertEquals(64, CliTest.dfl(dir, "check", "bad.dfl", "--color", "sometimes").code());
        // auto: on a terminal unless NO_COLOR is set (to anything non-empty) or TERM=dumb
        assertTrue(Main.colorEnabled(Main.ColorMode.auto, null, true, "xterm-256color"));
        assertTrue(Main.colorEnabled(Main.ColorMode.auto, "", true, "xterm"));
        assertFalse(Main.colorEnabled(Main.ColorMode.auto, "1", true, "xterm"));
        assertFalse(Main.colorEnabled(Main.ColorMode.auto, null, true, "dumb"));
        assertFalse(Main.colorEnabled(Main.ColorMode.auto, null, false, "xterm"));
        assertTrue(Main.colorEnabled(Main.ColorMode.always, "1", false, "dumb"));
    }

    /** --message-format json: stderr holds one JSON object per diagnostic line and nothing else. */
    @Test
    void jsonDiagnosticsOnePerLine(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("bad.dfl"), BAD);
        Files.writeString(dir.resolve("warn.dfl"), WARN);
        CliTest.Outcome o = CliTest.dfl(dir, "check", "--message-format", "json", "bad.dfl", "warn.dfl");
        assertEquals(65, o.code());
        List<String> lines = o.err().lines().toList();
        assertEquals(2, lines.size(), o.err());
        JsonObject e = JsonParser.parseString(lines.get(0)).getAsJsonObject();
        assertEquals("DFL-E0105", e.get("code").getAsString());
        assertEquals("error", e.get("severity").getAsString());
        assertEquals("bad.dfl", e.get("file").getAsString());
        assertEquals(2, e.get("line").getAsInt());
        assertEquals(19, e.get("column").getAsInt());
        assertEquals(26, e.get("end_column").getAsInt());
        assertEquals("Did you mean 'particles'?", e.getAsJsonArray("hints").get(0).getAsString());
        assertTrue(e.get("rendered").getAsString().startsWith("Error[DFL-E0105] in 'bad.dfl', line 2"));
        JsonObject w = JsonParser.parseString(lines.get(1)).getAsJsonObject();
        assertEquals("DFL-W0001", w.get("code").getAsString());
        assertEquals("warning", w.get("severity").getAsString());
        assertEquals("warn.dfl: ok (1 warning)\n", o.out());
        // a run-time diagnostic too: a data file that is missing
        Files.writeString(dir.resolve("run.dfl"), "prior = diffusion(gmm(means = [[0, 0]], std = 1));\ny = load(\"none.npy\");\n"
                + "observe y ~ Normal(x, 1);\nsample x with tds(particles = 4, steps = 3);\n");
        CliTest.Outcome r = CliTest.dfl(dir, "run", "run.dfl", "--quiet", "--message-format=json");
        assertEquals(65, r.code());
        assertEquals("DFL-E0301", JsonParser.parseString(r.err().strip()).getAsJsonObject().get("code").getAsString(), r.err());
    }

    @Test
    void checkTakesSeveralFilesAndStandardInput(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("ok.dfl"), WARN.replace("unused = 3;\n", ""));
        Files.writeString(dir.resolve("bad.dfl"), BAD);
        CliTest.Outcome both = CliTest.dfl(dir, "check", "ok.dfl", "bad.dfl");
        assertEquals(65, both.code());
        assertEquals("ok.dfl: ok\n", both.out());
        assertTrue(both.err().startsWith("Error[DFL-E0105] in 'bad.dfl'"), both.err());
        assertEquals(64, CliTest.dfl(dir, "check", "ok.dfl", "missing.dfl").code(), "an unreadable file outranks");
        CliTest.Outcome stdin = withStdin(BAD, () -> CliTest.dfl(dir, "check", "-"));
        assertEquals(65, stdin.code());
        assertTrue(stdin.err().startsWith("Error[DFL-E0105] in '<stdin>', line 2"), stdin.err());
        assertEquals(0, withStdin(WARN, () -> CliTest.dfl(dir, "plan", "-", "--no-warnings")).code());
    }

    @Test
    void fmtChecksAndWritesAndKeepsComments(@TempDir Path dir) throws Exception {
        String ugly = "// the prior\nprior=diffusion(\"mnist\");   // shipped\nsample x;\n";
        String pretty = "// the prior\nprior = diffusion(\"mnist\");  // shipped\nsample x;\n";
        Path f = Files.writeString(dir.resolve("m.dfl"), ugly);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
        Files.writeString(dir.resolve("ok.dfl"), pretty);
        CliTest.Outcome printed = CliTest.dfl(dir, "fmt", "m.dfl");
        assertEquals(0, printed.code());
        assertEquals(pretty, printed.out());
        assertEquals(ugly, Files.readString(f), "printing changes nothing");
        CliTest.Outcome check = CliTest.dfl(dir, "fmt", "--check", "m.dfl", "ok.dfl");
        assertEquals(1, check.code());
        assertEquals("m.dfl\n", check.out());
        CliTest.Outcome write = CliTest.dfl(dir, "fmt", "--write", "m.dfl", "ok.dfl");
        assertEquals(0, write.code(), write.err());
        assertEquals("m.dfl\n", write.out(), "only the file that changed");
        assertEquals(pretty, Files.readString(f));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), "the file keeps its permissions");
        assertEquals(0, CliTest.dfl(dir, "fmt", "--check", "m.dfl").code());
        assertEquals(64, CliTest.dfl(dir, "fmt", "--check", "--write", "m.dfl").code());
        assertEquals(64, CliTest.dfl(dir, "fmt", "--write", "-").code());
        assertEquals(pretty, withStdin(ugly, () -> CliTest.dfl(dir, "fmt", "-")).out());
        Files.writeString(dir.resolve("bad.dfl"), "x = ;\n");
        assertEquals(65, CliTest.dfl(dir, "fmt", "bad.dfl").code());
    }

    private static CliTest.Outcome withStdin(String text, java.util.function.Supplier<CliTest.Outcome> run) {
        InputStream before = System.in;
        System.setIn(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        try {
            return run.get();
        } finally {
            System.setIn(before);
        }
    }
}
