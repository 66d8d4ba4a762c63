package dfl.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dfl.diag.Code;
import dfl.runtime.exact.PlanReference;
import dfl.runtime.run.StepStats;
import dfl.stdlib.runtime.StdlibProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedding API end to end on the analytic 2-D posterior, whose exact answer is known. */
class DflApiTest {

    static final String POSTERIOR2D = """
            prior = diffusion(gmm(weights = [0.3, 0.7], means = [[-2, 0], [2, 1]], std = 0.5));
            A = [[1.0, 0.5]];
            y = [1.2];
            observe y ~ Normal(A @ x, 0.3);
            sample x with tds(particles = 1024, steps = 200);
            """;

    /** Exact posterior mean with y = yValue written into the program text (independent of bind). */
    private static double[] exactMean(double yValue) {
        DflModel literal = Dfl.compile(POSTERIOR2D.replace("y = [1.2];", "y = [" + yValue + "];"), "literal.dfl");
        return PlanReference.of(literal.plan(), StdlibProvider.builder().build()).posterior().mean();
    }

    /**
     * The run must use the data bound from Java. For each of two values of y the sampled posterior mean
     * of x[0] (the coordinate the observation pins down) must lie within 0.4 of the exact mean for that y.
     * 0.4 is about 4 standard deviations of the seed-to-seed spread measured for this sampler setting
     * (K = 512, 40 steps: sd ≈ 0.09, which includes the resampling correlation a weight ESS misses); the
     * exact means for the two values differ by more than 2.5, so a run that ignored the binding fails.
     */
    @Test
    void boundDataDrivesThePosterior() {
        DflModel base = Dfl.compile(POSTERIOR2D, "posterior2d.dfl");
        double[] a = exactMean(1.2), b = exactMean(-1.5);
        assertTrue(Math.abs(a[0] - b[0]) > 2.5, "the two data sets must give clearly different posteriors");
        for (double yv : new double[] {1.2, -1.5}) {
            DflModel m = base.bind("y", new double[] {yv});
            double[] exact = exactMean(yv);
            Result r;
            try (SamplerRun run = m.sampler().optParticles(512).optSteps(40).optSeed(7).build()) {
                r = run.run();
            }
            assertEquals(512, r.size());
            assertEquals(40, r.steps().size());
            assertTrue(r.logEvidence().isPresent());
            assertEquals(exact[0], r.mean()[0], 0.4, "y = " + yv);
        }
    }

    @Test
    void sameSeedSameSamplesAndFloatAndNdarrayBindsAgree() {
        DflModel m = Dfl.compile(POSTERIOR2D, "p.dfl");
        float[][] a, b, c;
        try (SamplerRun r = m.bind("y", new float[] {0.5f}).sampler().optParticles(16).optSteps(5).optSeed(3).build()) {
            a = r.run().samples();
            b = r.run().samples();
        }
        try (NDManager nd = NDManager.newBaseManager(); NDArray y = nd.create(new double[] {0.5})) {
            try (SamplerRun r = m.bind("y", y).sampler().optParticles(16).optSteps(5).optSeed(3).build()) {
                c = r.run().samples();
            }
        }
        for (int i = 0; i < a.length; i++) {
            assertEquals(List.of(a[i][0], a[i][1]), List.of(b[i][0], b[i][1]));
            assertEquals(List.of(a[i][0], a[i][1]), List.of(c[i][0], c[i][1]));
        }
    }

    @Test
    void compileErrorsCarryDiagnosticsAndTheirRendering() {
        DflCompileException e = assertThrows(DflCompileException.class,
                () -> Dfl.compile("prior = diffusion(gmm(means = [[0, 0]], std = 1));\nsample x with tds(particles = 4, stpes = 3);\n", "bad.dfl"));
        assertEquals(Code.E0105, e.errors().get(0).code());
        assertTrue(e.rendered().contains("Error[DFL-E0105] in 'bad.dfl', line 2"), e.rendered());
        assertTrue(e.rendered().contains("Did you mean 'steps'?"), e.rendered());
        assertEquals(e.rendered(), e.getMessage());
    }

    /** An exact mixture whose covariances would not fit a compile-time budget is E0113, not gigabytes (issue 15 item 5). */
    @Test
    void anExactMixtureBeyondTheCovarianceBudgetIsRefused() {
        String zeros = String.join(", ", java.util.Collections.nCopies(6000, "0"));
        long t0 = System.nanoTime();
        DflCompileException e = assertThrows(DflCompileException.class,
                () -> Dfl.compile("prior = diffusion(gmm(means = [[" + zeros + "]], std = 1));\nsample x with reverse(particles = 4);\n", "big.dfl"));
        assertEquals(Code.E0113, e.errors().get(0).code());
        assertTrue(e.errors().get(0).message().contains("3.60e+07 covariance entries"), e.errors().get(0).message());
        assertTrue((System.nanoTime() - t0) * 1e-9 < 10, "refused before building the covariances");
        // a mixture within the budget compiles: 1 component in 512 dimensions
        Dfl.compile("prior = diffusion(gmm(means = [[" + String.join(", ", java.util.Collections.nCopies(512, "0"))
                + "]], std = 1));\nsample x with reverse(particles = 4);\n", "ok.dfl");
    }

    @Test
    void bindRejectsWhatIsNotDataOfTheRightSize() {
        DflModel m = Dfl.compile(POSTERIOR2D, "p.dfl");
        assertThrows(IllegalArgumentException.class, () -> m.bind("nope", new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> m.bind("y", new double[] {1, 2}));
        assertThrows(IllegalArgumentException.class, () -> m.bind("prior", new double[] {1}));
        // A is [1, 2]: two values keep its shape and change the plan's data
        DflModel m2 = m.bind("A", new double[] {0.0, 1.0});
        assertTrue(m2.planText().contains("bound(\"A\")"), m2.planText());
    }

    @Test
    void aNumberBindingTakesOneValue() {
        DflModel m = Dfl.compile("prior = diffusion(gmm(means = [[0, 0]], std = 1));\nσ = 0.3;\ny = [1.0];\n"
                + "observe y ~ Normal([[1, 0]] @ x, σ);\nsample x with tds(particles = 8, steps = 4);\n", "s.dfl");
        DflModel m2 = m.bind("σ", new double[] {2.5});
        assertTrue(m2.planText().contains("σ = 2.5"), m2.planText());
    }

    @Test
    void samplerSettingsAreChecked() {
        DflModel m = Dfl.compile(POSTERIOR2D, "p.dfl");
        try (SamplerRun planned = m.sampler().optSeed(1).build()) {
            // particles are optional: the program's own (posterior2d asks for 1024)
            assertEquals(1024, planned.plan().sampler().particles());
        }
        assertThrows(IllegalArgumentException.class, () -> m.sampler().optDevice("gpu"));
        assertThrows(IllegalArgumentException.class, () -> m.sampler().optParticles(0));
        SamplerRun r = m.sampler().optParticles(8).optDevice("cpu").build();
        assertEquals(8, r.plan().sampler().particles());
        assertEquals(200, r.plan().sampler().steps());
        r.close();
        assertThrows(IllegalStateException.class, r::run);
    }

    @Test
    void listenerSeesEveryStepAndCancelStopsTheRun() {
        DflModel m = Dfl.compile(POSTERIOR2D, "p.dfl");
        List<StepStats> seen = new ArrayList<>();
        try (SamplerRun r = m.sampler().optParticles(8).optSteps(6).optListener((done, total, s) -> seen.add(s)).build()) {
            r.run();
        }
        assertEquals(6, seen.size());
        SamplerRun[] holder = new SamplerRun[1];
        holder[0] = m.sampler().optParticles(8).optSteps(50).optListener((done, total, s) -> {
            if (done == 3) holder[0].cancel();
        }).build();
        assertThrows(CancellationException.class, holder[0]::run);
        // cancellation leaves the run usable
        holder[0] = m.sampler().optParticles(8).optSteps(5).build();
        assertEquals(8, holder[0].run().size());
    }

    @Test
    void writeToWritesTheRunOutputs(@TempDir Path dir) throws Exception {
        DflModel m = Dfl.compile(POSTERIOR2D, "p.dfl");
        try (SamplerRun r = m.sampler().optParticles(8).optSteps(4).optSeed(1).build()) {
            List<Path> files = r.run().writeTo(dir.resolve("out"));
            assertTrue(files.contains(dir.resolve("out/samples.npy")));
            String summary = Files.readString(dir.resolve("out/summary.json"));
            assertTrue(summary.contains("\"sampler\": \"tds\""), summary);
            assertTrue(summary.contains("\"particles\": 8"), summary);
        }
    }

    @Test
    void bindAFileUsesTheDataReader(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("y.csv");
        Files.writeString(csv, "0.75\n");
        DflModel m = Dfl.compile(POSTERIOR2D, "p.dfl").bind("y", csv);
        assertEquals(0.75, m.bound().get("y")[0], 0.0);
        DflRunException e = assertThrows(DflRunException.class, () -> Dfl.compile(POSTERIOR2D, "p.dfl").bind("y", dir.resolve("none.csv")));
        assertEquals(Code.E0301, e.code());
    }
}
