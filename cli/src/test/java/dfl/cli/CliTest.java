package dfl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands as a user meets them: exit codes, messages instead of stack traces, and the plan's choices. */
class CliTest {

    record Outcome(int code, String out, String err) {}

    static Outcome dfl(Path cwd, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.executeIn(cwd, args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Outcome(code, out.toString(), err.toString());
    }

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void everyExampleChecks() throws Exception {
        try (var s = Files.walk(ROOT.resolve("examples"))) {
            for (Path f : s.filter(p -> p.toString().endsWith(".dfl") && !p.toString().contains("/target/")).toList()) {
                Outcome o = dfl(ROOT, "check", ROOT.relativize(f).toString());
                assertEquals(0, o.code(), f + ": " + o.err());
            }
        }
    }

    @Test
    void planShowsTheSamplerAndWhy() {
        Outcome card = dfl(ROOT, "plan", "examples/mnist/card.dfl");
        assertEquals(0, card.code(), card.err());
        assertTrue(card.out().contains("sampler tds"), card.out());
        assertTrue(card.out().contains("reason: named in the sample statement at line 14: the target is one diffusion prior 'prior' with 1 observation and 1 factor as twists"), card.out());
        Outcome product = dfl(ROOT, "plan", "examples/toy/product.dfl");
        assertTrue(product.out().contains("sampler annealed"), product.out());
        assertTrue(product.out().contains("2 diffusion priors ('ring', 'bar'), which have no joint reverse process"), product.out());
    }

    @Test
    void modelErrorsExit65WithALocatedDiagnostic(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("bad.dfl"), "prior = diffusion(\"mnist\");\nsample x with tds(particle = 16);\n");
        Outcome o = dfl(dir, "check", "bad.dfl");
        assertEquals(65, o.code());
        assertTrue(o.err().startsWith("Error[DFL-E0105] in 'bad.dfl', line 2, column 19 to column 26:"), o.err());
        assertTrue(o.err().contains("Did you mean 'particles'?"), o.err());
        assertFalse(o.err().contains("Exception"), o.err());
    }

    /**
     * An observation far sharper than 8 particles can follow: the weights collapse onto one lineage. The summary line
     * says so (ESS before the last resampling, distinct samples) and W0005 is printed; --deny-warnings fails the run.
     * The prior alone (the negative control) gets neither the warning nor an evidence estimate.
     */
    @Test
    void aCollapsedRunIsReportedHonestly(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("sharp.dfl"), "prior = diffusion(gmm(weights = [0.3, 0.7], means = [[-2, 0], [2, 1]], std = 0.5));\n"
                + "y = [1.2];\nobserve y ~ Normal([[1.0, 0.5]] @ x, 0.001);\nsample x with tds(particles = 8, steps = 10, spacing = \"uniform\");\n");
        Outcome o = dfl(dir, "run", "sharp.dfl", "--seed", "1", "--out", "o");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().matches("(?s)tds: 8 samples, 10 steps, ESS [0-9.]+ before the last resampling \\(step \\d+, [12] unique "
                + "ancestors?\\), [0-9.]+ at the end, [12] distinct, log p̂\\(y\\) = .*"), o.out());
        assertTrue(o.err().startsWith("Warning[DFL-W0005] in 'sharp.dfl':"), o.err());
        assertTrue(Files.readString(dir.resolve("o/summary.json")).contains("\"distinct_samples\""));
        assertTrue(Files.readString(dir.resolve("o/summary.json")).contains("\"unique_ancestors_last_resampling\""));
        Outcome denied = dfl(dir, "run", "sharp.dfl", "--seed", "1", "--out", "o", "--deny-warnings", "--quiet");
        assertEquals(65, denied.code());
        assertTrue(denied.err().startsWith("Error[DFL-W0005]"), denied.err());

        Files.writeString(dir.resolve("alone.dfl"), "prior = diffusion(gmm(means = [[0, 0]], std = 1));\nsample x with tds(particles = 8, steps = 10);\n");
        Outcome alone = dfl(dir, "run", "alone.dfl", "--out", "a");
        assertEquals(0, alone.code(), alone.err());
        assertEquals("", alone.err());
        assertFalse(alone.out().contains("log"), alone.out());
    }

    /** Every command answers --help with its usage and exit 0 (it used to demand FILE or reject the option, exit 64). */
    @Test
    void everyCommandHasHelp(@TempDir Path dir) {
        for (String[] c : new String[][] {{"run"}, {"check"}, {"plan"}, {"fmt"}, {"summary"}, {"models"}, {"repl"}, {"train"},
                {"train", "diffusion"}, {"train", "classifier"}, {"completion"}}) {
            String[] args = java.util.Arrays.copyOf(c, c.length + 1);
            args[c.length] = "--help";
            Outcome o = dfl(dir, args);
            assertEquals(0, o.code(), String.join(" ", args) + ": " + o.err());
            assertTrue(o.out().startsWith("Usage: dfl " + String.join(" ", c)), String.join(" ", args) + ": " + o.out());
        }
    }

    /** dfl train's options are picocli's: mistakes are usage errors (64) and nothing calls System.exit (this test would die). */
    @Test
    void trainMistakesAreUsageErrors(@TempDir Path dir) {
        assertEquals(64, dfl(dir, "train").code());
        Outcome zero = dfl(dir, "train", "classifier", "--data", "d", "--out", "o", "--steps", "0");
        assertEquals(64, zero.code());
        assertTrue(zero.err().contains("--steps, --batch and --lr must be positive"), zero.err());
        assertEquals(64, dfl(dir, "train", "diffusion", "--data", "d", "--out", "o", "--eval").code());
        assertEquals(64, dfl(dir, "train", "diffusion", "--data", "d").code());
    }

    @Test
    void usageErrorsExit64(@TempDir Path dir) throws Exception {
        assertEquals(64, dfl(dir, "check", "missing.dfl").code());
        assertTrue(dfl(dir, "check", "missing.dfl").err().contains("no such file: 'missing.dfl'"));
        assertEquals(64, dfl(dir, "check").code());
        assertEquals(64, dfl(dir, "frobnicate").code());
        Files.writeString(dir.resolve("m.dfl"), "prior = diffusion(\"mnist\");\nsample x;\n");
        Outcome bad = dfl(dir, "run", "m.dfl", "--set", "γ=abc");
        assertEquals(64, bad.code());
        assertTrue(bad.err().contains("DFL-E0307"), bad.err());
        assertEquals(64, dfl(dir, "check", "m.dfl", "--dump", "tokens").code());
        assertEquals(64, dfl(dir, "run", "m.dfl", "--particles", "0").code());
    }

    @Test
    void setReplacesANumber(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("m.dfl"), "prior = diffusion(\"mnist\");\nclf = classifier(\"mnist\", label = 3);\nγ = 1.0;\ncompose prior * clf^γ;\nsample x;\n");
        Outcome o = dfl(dir, "plan", "m.dfl", "--set", "γ=2.5");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("power 2.5"), o.out());
        Outcome typo = dfl(dir, "plan", "m.dfl", "--set", "γγ=2.5");
        assertEquals(65, typo.code());
        assertTrue(typo.err().contains("[DFL-E0307]") && typo.err().contains("Did you mean 'γ'?"), typo.err());
        Outcome notANumber = dfl(dir, "plan", "m.dfl", "--set", "prior=2");
        assertEquals(65, notANumber.code());
        assertTrue(notANumber.err().contains("--set only replaces numbers"), notANumber.err());
    }

    @Test
    void tooManyStepsIsAModelErrorNotACrash(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("m.dfl"), "prior = diffusion(gmm(means = [[0, 0]], std = 1));\nsample x with reverse(particles = 4, steps = 10);\n");
        Outcome o = dfl(dir, "run", "m.dfl", "--steps", "5000", "--quiet");
        assertEquals(65, o.code(), o.err());
        assertTrue(o.err().contains("[DFL-E0113]") && o.err().contains("use 1 to 1000 steps"), o.err());
    }

    @Test
    void warningsHaveTheirOwnChannel(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("w.dfl"), "prior = diffusion(\"mnist\");\nunused = 3;\nsample x;\n");
        Outcome shown = dfl(dir, "check", "w.dfl");
        assertEquals(0, shown.code());
        assertTrue(shown.err().contains("Warning[DFL-W0001]"), shown.err());
        Outcome hidden = dfl(dir, "check", "w.dfl", "--no-warnings");
        assertEquals(0, hidden.code());
        assertEquals("", hidden.err());
        Outcome denied = dfl(dir, "check", "w.dfl", "--deny-warnings");
        assertEquals(65, denied.code());
        assertTrue(denied.err().contains("Error[DFL-W0001]"), denied.err());
    }

    @Test
    void dumpStagesPrintTheTreeAndThePlan() {
        Outcome ast = dfl(ROOT, "check", "examples/toy/posterior2d.dfl", "--dump", "ast");
        assertTrue(ast.out().contains("Program") && ast.out().contains("Observe") && ast.out().contains("@5:1-5:31"), ast.out());
        Outcome plan = dfl(ROOT, "check", "examples/toy/posterior2d.dfl", "--dump", "plan");
        assertTrue(plan.out().contains("plan posterior2d"), plan.out());
    }
}
