package dfl.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dfl.runtime.run.StepStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@link SamplerRun#runEach}: B observations sharing every network call (B·K particles) give each observation the result
 * of its own run with its seed: bit for bit on an exact Gaussian-mixture prior (Java and float64 arithmetic), within
 * float32 rounding on a float32 network; programs it cannot batch say why.
 */
class RunEachTest {

    static final String POSTERIOR = """
            prior = diffusion(gmm(weights = [0.3, 0.7], means = [[-2, 0], [2, 1]], std = 0.5));
            A = [[1.0, 0.5]];
            y = [1.2];
            observe y ~ Normal(A @ x, 0.3);
            sample x with tds(particles = 16, steps = 12);
            """;

    static final List<double[]> YS = List.of(new double[] {-1.5}, new double[] {0.2}, new double[] {1.2}, new double[] {2.8});
    static final long[] SEEDS = {11, 5, 907, 3};

    static Result alone(DflModel model, double[] y, long seed) {
        try (SamplerRun run = model.bind("y", y).sampler().optSeed(seed).build()) {
            return run.run();
        }
    }

    @Test
    void onAnExactPriorEachObservationEqualsItsOwnRunBitForBit() {
        DflModel model = Dfl.compile(POSTERIOR, "posterior.dfl");
        List<Result> each;
        try (SamplerRun run = model.sampler().build()) {
            assertTrue(run.whyNotBatched("y").isEmpty(), () -> run.whyNotBatched("y").get());
            each = run.runEach("y", YS, SEEDS);
        }
        assertEquals(YS.size(), each.size());
        for (int b = 0; b < YS.size(); b++) {
            Result single = alone(model, YS.get(b), SEEDS[b]);
            Result batched = each.get(b);
            assertEquals(SEEDS[b], batched.seed());
            assertArrayEquals(single.samples(), batched.samples(), "observation " + b + ": samples differ from its own run");
            assertArrayEquals(single.weights(), batched.weights());
            assertEquals(single.logEvidence().getAsDouble(), batched.logEvidence().getAsDouble());
            assertEquals(strip(single.runResult().stats()), strip(batched.runResult().stats()), "observation " + b + ": step statistics");
        }
        // negative control: each population weighs against its own observation; another's data or seed gives other samples
        assertFalse(Arrays.deepEquals(alone(model, YS.get(1), SEEDS[0]).samples(), each.get(0).samples()));
        assertFalse(Arrays.deepEquals(alone(model, YS.get(0), SEEDS[1]).samples(), each.get(0).samples()));
    }

    @Test
    void onAFloat32NetworkEachObservationMatchesItsOwnRunWithinRounding() {
        Path pt = Path.of("../examples/toy/torchscript_gmm_energy.pt").toAbsolutePath().normalize();
        assertTrue(Files.isRegularFile(pt), "missing test model " + pt);
        DflModel model = Dfl.compile("prior = diffusion(torchscript(\"" + pt + "\", shape = [2]), schedule = \"linear\", steps = 200, "
                + "beta_end = 0.05, parameterization = \"energy\");\nA = [[1.0, 0.5]];\ny = [1.2];\nobserve y ~ Normal(A @ x, 0.3);\n"
                + "sample x with tds(particles = 8, steps = 6);\n", "ts.dfl");
        List<Result> each;
        try (SamplerRun run = model.sampler().build()) {
            each = run.runEach("y", YS, SEEDS);
        }
        double worst = 0;
        for (int b = 0; b < YS.size(); b++) {
            Result single = alone(model, YS.get(b), SEEDS[b]);
            float[][] a = single.samples(), c = each.get(b).samples();
            for (int p = 0; p < a.length; p++) {
                for (int j = 0; j < a[p].length; j++) worst = Math.max(worst, Math.abs(a[p][j] - c[p][j]) / Math.max(1, Math.abs(a[p][j])));
            }
            assertArrayEquals(single.weights(), each.get(b).weights(), 1e-4, "observation " + b + ": weights");
        }
        // the network computes in float32 (ulp 6e-8 at 1); six steps of a few float32 operations each stay within
        // 1e-5 relative; a wrong pairing of data, seed or population gives differences of order 1
        assertTrue(worst <= 1e-5, "largest relative difference between batched and single runs: " + worst);
        System.out.println("RunEachTest: float32 network, largest relative sample difference batched vs single: " + worst);
    }

    @Test
    void onTheShippedMnistNetworkEachObservationMatchesItsOwnRun() {
        DflModel model = Dfl.compile(Path.of("../examples/batch/inpaint.dfl"));
        List<double[]> digits = List.of(digit("test0000-label5.png"), digit("test0200-label9.png"), digit("test0400-label0.png"));
        long[] seeds = {1, 2, 3};
        List<Result> each;
        try (SamplerRun run = model.sampler().optParticles(3).optSteps(4).build()) {
            each = run.runEach("y", digits, seeds);
        }
        double worst = 0;
        for (int b = 0; b < digits.size(); b++) {
            Result single;
            try (SamplerRun run = model.bind("y", digits.get(b)).sampler().optParticles(3).optSteps(4).optSeed(seeds[b]).build()) {
                single = run.run();
            }
            float[][] a = single.samples(), c = each.get(b).samples();
            for (int p = 0; p < a.length; p++) {
                for (int j = 0; j < a[p].length; j++) worst = Math.max(worst, Math.abs(a[p][j] - c[p][j]));
            }
        }
        // the U-Net computes in float32 and its kernels may sum in another order at another batch size: a few float32
        // rounding steps (ulp 1.2e-7 at 1, pixel values in [-1, 1]) per network call, 4 calls; a mixed-up population
        // (another digit's data or seed) differs by order 1
        assertTrue(worst <= 1e-4, "largest difference between batched and single runs: " + worst);
        System.out.println("RunEachTest: mnist U-Net, largest absolute sample difference batched vs single: " + worst);
    }

    static double[] digit(String name) {
        return dfl.stdlib.runtime.DataFiles.read(Path.of("../examples/batch/digits/" + name).toAbsolutePath().normalize());
    }

    @Test
    void programsThatCannotBatchSayWhyAndRunEachRefusesThem() {
        String dps = POSTERIOR.replace("tds(particles = 16, steps = 12)", "dps(particles = 16, steps = 12)");
        String poisson = """
                prior = diffusion(gmm(weights = [1.0], means = [[0, 0]], std = 0.5));
                y = [3];
                observe y ~ Poisson(exp([[1.0, 0.5]] @ x));
                sample x with tds(particles = 8, steps = 4);
                """;
        String inMean = """
                prior = diffusion(gmm(weights = [1.0], means = [[0, 0]], std = 0.5));
                y = [1.0];
                observe y ~ Normal([[1.0, 0.5]] @ x + y, 0.3);
                sample x with tds(particles = 8, steps = 4);
                """;
        assertWhy(dps, "y", "the sampler is dps");
        assertWhy(POSTERIOR.replace("tds(particles = 16", "tds(runs = 2, particles = 16"), "y", "runs = 2");
        assertWhy("""
                prior = diffusion(gmm(weights = [1.0], means = [[0, 0]], std = 0.5));
                y = [1.0, 0.0];
                M = [1.0, 0.0];
                observe y ~ Normal(M * x, 0.1);
                sample x with tds(variant = "replacement", particles = 8, steps = 4);
                """, "y", "replacement");
        assertWhy(poisson, "y", "is Poisson");
        assertWhy(inMean, "y", "'y' is used in the mean");
        assertWhy(POSTERIOR, "A", "'A' is used in the mean");
        // a load(...) whose shape the program gives: the plan's load has the shape, the binding's declaration none
        try (SamplerRun run = Dfl.compile(Path.of("../examples/batch/inpaint.dfl")).sampler().build()) {
            assertEquals(Optional.empty(), run.whyNotBatched("y"));
        }
        try (SamplerRun run = Dfl.compile(dps, "dps.dfl").sampler().build()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run.runEach("y", YS, SEEDS));
            assertTrue(e.getMessage().contains("the sampler is dps"), e.getMessage());
        }
    }

    static void assertWhy(String program, String name, String expected) {
        try (SamplerRun run = Dfl.compile(program, "p.dfl").sampler().build()) {
            String why = run.whyNotBatched(name).orElse("(batched)");
            assertTrue(why.contains(expected), why);
        }
    }

    /** Step statistics without their timing. */
    static List<StepStats> strip(List<StepStats> stats) {
        return stats.stream().map(s -> new StepStats(s.step(), s.trainStep(), s.essBefore(), s.resampled(), s.uniqueAncestors(), s.ess(),
                s.maxWeight(), s.logEvidenceIncrement(), 0)).toList();
    }
}
