package dfl.cli.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The REPL driven by piped input, as a script would drive it. */
class ReplTest {

    static final String PRIOR = "prior = diffusion(gmm(means = [[0, 0]], std = 1));\n";

    private static ReplHarness.Transcript run(Path cwd, String script) {
        return ReplHarness.run(cwd, script);
    }

    @Test
    void theIssueScriptDefinesPlansAndRuns(@TempDir Path dir) throws Exception {
        ReplHarness.Transcript t = run(dir, PRIOR + "sample x with reverse(particles = 8, steps = 10);\n:plan\n:run --out r\n:quit\n");
        assertEquals(0, t.exit(), t.err());
        assertEquals("", t.err());
        assertTrue(t.out().contains("sampler reverse"), t.out());
        assertTrue(t.out().contains("reverse: 8 samples, 10 steps"), t.out());
        var summary = JsonParser.parseString(Files.readString(dir.resolve("r/summary.json"))).getAsJsonObject();
        assertEquals(8, summary.get("particles").getAsInt());
        assertEquals(10, summary.get("steps").getAsInt());
        assertTrue(Files.size(dir.resolve("r/samples.npy")) > 0);
    }

    @Test
    void runOptionsOverrideTheSampleStatementAndSeedsRepeat(@TempDir Path dir) throws Exception {
        ReplHarness.Transcript t = run(dir, PRIOR + "sample x with reverse(particles = 8, steps = 10);\n"
                + ":run --particles 5 --steps 3 --seed 4 --out a\n:run --particles 5 --steps 3 --seed 4 --out b\n:run --bogus\n");
        assertEquals(65, t.exit(), "a failed command makes a piped session exit 65");
        assertTrue(t.err().contains("Unknown option: '--bogus'"), t.err());
        assertEquals(-1, Files.mismatch(dir.resolve("a/samples.npy"), dir.resolve("b/samples.npy")));
        assertTrue(Files.readString(dir.resolve("a/summary.json")).contains("\"particles\": 5"));
    }

    @Test
    void unfinishedStatementsContinueOnTheNextLine(@TempDir Path dir) {
        ReplHarness.Transcript t = run(dir, "prior = diffusion(gmm(\n  means = [[0, 0], [1, 1]],\n  std = 1))\n;\n:show prior\n");
        assertEquals(0, t.exit(), t.err());
        assertTrue(t.out().contains("prior: a density over [2]"), t.out());
        assertTrue(t.out().contains("gmm (2 components in 2 dimensions)"), t.out());
    }

    @Test
    void anEmptyLineEndsAnUnfinishedStatementWithItsSyntaxError(@TempDir Path dir) {
        ReplHarness.Transcript t = run(dir, "a = [1, 2\n\n:list\nb = 3;\n:list\n");
        assertTrue(t.err().contains("Error[DFL-E0003] in 'input', line 1"), t.err());
        assertTrue(t.out().startsWith("b = 3;\n"), t.out());
        assertEquals(65, t.exit());
    }

    @Test
    void errorsAreReportedAndTheStatementIsNotAdded(@TempDir Path dir) {
        ReplHarness.Transcript t = run(dir, PRIOR + "sample x with tds(particles = 4, stpes = 3);\n:list\nsample x;\n:list\n");
        assertTrue(t.err().contains("Error[DFL-E0105] in 'repl', line 2"), t.err());
        assertTrue(t.err().contains("Did you mean 'steps'?"), t.err());
        assertTrue(t.err().contains("(not added: 1 error)"), t.err());
        assertEquals(PRIOR + PRIOR + "sample x;\n", t.out());
    }

    @Test
    void redefiningANameReplacesItWhereItStood(@TempDir Path dir) {
        String script = PRIOR + "σ = 0.1;\ny = [1.0];\nobserve y ~ Normal([[1, 0]] @ x, σ);\nσ = 0.5;\n:plan\n:list\n";
        ReplHarness.Transcript t = run(dir, script);
        assertEquals(0, t.exit(), t.err());
        assertTrue(t.out().contains("Normal(mean, σ = 0.5)"), t.out());
        assertFalse(t.out().contains("σ = 0.1"), t.out());
        assertTrue(t.out().contains("σ = 0.5;\ny = [1.0];\nobserve"), "σ keeps its place: " + t.out());
    }

    @Test
    void aRedefinitionUsingLaterNamesIsAddedAtTheEnd(@TempDir Path dir) {
        ReplHarness.Transcript t = run(dir, "a = 1;\nb = 2;\na = b + 1;\n:show a\n:list\n");
        assertEquals(0, t.exit(), t.err());
        assertTrue(t.out().contains("value: 3"), t.out());
        assertTrue(t.out().endsWith("a = 1;\nb = 2;\na = b + 1;\n"), t.out());
    }

    @Test
    void theSampleStatementStaysLastAndIsReplaced(@TempDir Path dir) {
        String script = PRIOR + "sample x with reverse(particles = 4, steps = 2);\ny = [0.5];\nobserve y ~ Normal([[1, 0]] @ x, 0.3);\n"
                + "sample x with tds(particles = 4, steps = 2);\n:list\n:plan\n";
        ReplHarness.Transcript t = run(dir, script);
        assertEquals(0, t.exit(), t.err());
        assertTrue(t.out().startsWith(PRIOR + "y = [0.5];\nobserve y ~ Normal([[1, 0]] @ x, 0.3);\nsample x with tds(particles = 4, steps = 2);\n"),
                t.out());
        assertTrue(t.out().contains("sampler tds"), t.out());
    }

    @Test
    void showPrintsValueKindAndDefinition(@TempDir Path dir) {
        ReplHarness.Transcript t = run(dir, PRIOR + "A = [[1.0, 0.5]];\nG(z) = A @ z;\n:show A\n:show G\n:show prior\n:show Aa\n:show\n");
        assertTrue(t.out().contains("A: a tensor [1, 2]\n  value: [[1, 0.5]]\n  defined by: A = [[1.0, 0.5]];"), t.out());
        assertTrue(t.out().contains("G: a function of 1 argument"), t.out());
        assertTrue(t.out().contains("prior: a density over [2]\n  value: diffusion 'prior' of gmm (1 component in 2 dimensions)"), t.out());
        assertTrue(t.err().contains("'Aa' is not bound in the session. Did you mean 'A'?"), t.err());
        assertTrue(t.err().contains(":show needs a name"), t.err());
        // issue 15: an empty session said "Bound: ."
        ReplHarness.Transcript empty = run(dir, ":show zzz\n");
        assertTrue(empty.err().contains("'zzz' is not bound in the session. Nothing is bound yet."), empty.err());
    }

    @Test
    void undoResetAndUnknownCommands(@TempDir Path dir) {
        ReplHarness.Transcript t = run(dir, PRIOR + "a = 1;\n:undo\n:list\n:reset\n:list\n:undo\n:list\n:plna\n:plan\n");
        assertEquals(PRIOR + "session cleared (:undo brings it back)\n" + PRIOR, t.out());
        assertTrue(t.err().contains("unknown command ':plna'. Did you mean ':plan'?"), t.err());
        assertTrue(t.err().contains("Error[DFL-E0203]"), "planning an unfinished model says what is missing: " + t.err());
    }

    @Test
    void loadAddsAFilesStatements(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("m.dfl"), "// a model\n" + PRIOR + "sample x with reverse(particles = 4, steps = 2);\n");
        ReplHarness.Transcript t = run(dir, ":load m.dfl\n:load nope.dfl\n:load\n:plan\n");
        assertTrue(t.out().contains("loaded m.dfl"), t.out());
        assertTrue(t.out().contains("sampler reverse"), t.out());
        assertTrue(t.err().contains("no such file: 'nope.dfl'"), t.err());
        assertTrue(t.err().contains(":load needs a file"), t.err());
    }

    @Test
    void runtimeErrorsAreDiagnosticsAndTheSessionGoesOn(@TempDir Path dir) {
        String script = PRIOR + "y = load(\"missing.csv\");\nobserve y ~ Normal(x, 0.3);\nsample x with tds(particles = 4, steps = 2);\n"
                + ":run --out r\n:show y\n";
        ReplHarness.Transcript t = run(dir, script);
        assertTrue(t.err().contains("Error[DFL-E0301]"), t.err());
        assertTrue(t.out().contains("y: a tensor\n  value: read from \"missing.csv\" when the model runs"), t.out());
        assertFalse(Files.exists(dir.resolve("r")));
    }

    @Test
    void cancellingARunKeepsTheSession(@TempDir Path dir) throws Exception {
        StringWriter out = new StringWriter(), err = new StringWriter();
        Deque<String> lines = new ArrayDeque<>(List.of(PRIOR.strip(), "sample x with reverse(particles = 20000, steps = 1000);", ":run --out r",
                ":show prior"));
        Repl[] repl = new Repl[1];
        LineInput in = new LineInput() {
            public String readLine(String prompt) {
                return lines.poll();
            }

            public boolean interactive() {
                return false;
            }
        };
        repl[0] = new Repl(in, new PrintWriter(out, true), new PrintWriter(err, true), dir);
        Thread loop = new Thread(repl[0]::loop);
        loop.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!repl[0].cancelRun() && System.nanoTime() < deadline) Thread.sleep(20);
        loop.join(30_000);
        assertFalse(loop.isAlive());
        assertTrue(err.toString().contains("run cancelled; nothing was written, the session is kept"), err.toString());
        assertTrue(out.toString().contains("prior: a density over [2]"), out.toString());
        assertFalse(Files.exists(dir.resolve("r/samples.npy")));
    }

    @Test
    void ctrlCAtThePromptDropsTheUnfinishedStatement(@TempDir Path dir) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        Deque<Object> lines = new ArrayDeque<>(List.of("a = [1,", "INTERRUPT", "b = 2;", ":list"));
        LineInput in = new LineInput() {
            public String readLine(String prompt) throws Interrupted {
                Object l = lines.poll();
                if ("INTERRUPT".equals(l)) throw new Interrupted();
                return (String) l;
            }

            public boolean interactive() {
                return false;
            }
        };
        int exit = new Repl(in, new PrintWriter(out, true), new PrintWriter(err, true), dir).loop();
        assertEquals(0, exit, err.toString());
        assertEquals("b = 2;\n", out.toString());
    }

    @Test
    void warningsAboutTheEnteredStatementAreShownButUnusedNamesAreNot(@TempDir Path dir) {
        ReplHarness.Transcript t = run(dir, PRIOR + "y = [1.0];\nobserve y ~ Normal([1.0], 0.3);\n");
        assertTrue(t.err().contains("Warning[DFL-W0003]"), t.err());
        assertFalse(t.err().contains("W0001"), t.err());
        assertEquals(0, t.exit());
    }

    @Test
    void observationsMayUseTheLatentBeforeTheSampleStatementNamesIt(@TempDir Path dir) {
        ReplHarness.Transcript t = run(dir, PRIOR + "y = [1.0];\nobserve y ~ Normal([[1, 0]] @ x, 0.3);\n:plan\nb = a + 1;\n");
        assertTrue(t.out().contains("latent x [2]"), t.out());
        assertTrue(t.out().contains("sampler mcgdiff"), "without a sample statement the compiler chooses: " + t.out());
        // a misspelt name outside an observation is still an error
        assertTrue(t.err().contains("Error[DFL-E0101]"), t.err());
        assertTrue(t.err().contains("'a' is not defined"), t.err());
    }
}
