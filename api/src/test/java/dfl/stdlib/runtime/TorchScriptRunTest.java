package dfl.stdlib.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dfl.api.Dfl;
import dfl.api.DflCompileException;
import dfl.api.DflModel;
import dfl.api.DflRunException;
import dfl.api.Result;
import dfl.api.SamplerRun;
import dfl.diag.Code;
import dfl.runtime.exact.PlanReference;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * .dfl programs with a torchscript(...) prior, run end to end. Each is checked two ways: against the same program
 * with the exact gmm(...) prior the fixture encodes (same sampler, same seed: the random streams are shared, so the
 * runs agree to float32 rounding unless a convention — time, schedule, sign, scale — differs), and against the exact
 * answer with a tolerance from the Monte Carlo error.
 */
class TorchScriptRunTest {

    private static final String OBSERVE = """
            A = [[1.0, 0.5]];
            y = [0.3];
            observe y ~ Normal(A @ x, 0.3);
            """;

    /** A prior line with the TorchScript fixture {@code file}. */
    private static String torchPrior(String name, String file, String parameterization) {
        return name + " = diffusion(torchscript(\"" + TorchScriptFixtures.path(file).toString().replace("\\", "/")
                + "\", shape = [2]), " + TorchScriptFixtures.SCHEDULE_ARGS + ", parameterization = \"" + parameterization + "\");\n";
    }

    /** The same prior written as the exact mixture. */
    private static String exactPrior(String name) {
        return name + " = diffusion(" + TorchScriptFixtures.GMM_DFL + ", " + TorchScriptFixtures.SCHEDULE_ARGS + ");\n";
    }

    private static Result run(String source, int particles, int steps, long seed) {
        DflModel m = Dfl.compile(source, "torchscript-test.dfl");
        try (SamplerRun r = m.sampler().optParticles(particles).optSteps(steps).optSeed(seed).build()) {
            return r.run();
        }
    }

    private static double maxDiff(double[] a, double[] b) {
        double w = 0;
        for (int i = 0; i < a.length; i++) w = Math.max(w, Math.abs(a[i] - b[i]));
        return w;
    }

    /**
     * Whether the run's mean lies within 4 Monte Carlo standard deviations sqrt(Var_i / K) of {@code exact}
     * (the variance from the exact prior) and its per-coordinate variances within 4 standard deviations of the
     * reference run's, with sd(sample variance) = sqrt((m4 − s⁴) / K) estimated from each run's samples (the
     * reference run shares the sampler's discretisation, a few 0.01 at 100 of 200 steps, so only Monte Carlo error
     * remains). Returns null when all agree, else what failed.
     */
    private static String momentsDisagree(Result run, Result reference, double[] exactMean, double[][] exactCov) {
        int k = run.size();
        double[] mean = run.mean();
        for (int i = 0; i < 2; i++) {
            double tol = 4 * Math.sqrt(exactCov[i][i] / k);
            if (Math.abs(mean[i] - exactMean[i]) > tol) return "mean[" + i + "] " + mean[i] + " vs exact " + exactMean[i] + " ± " + tol;
            double[] a = varianceAndSd(run, i), b = varianceAndSd(reference, i);
            double vtol = 4 * Math.hypot(a[1], b[1]);
            if (Math.abs(a[0] - b[0]) > vtol) return "var[" + i + "] " + a[0] + " vs " + b[0] + " ± " + vtol;
        }
        return null;
    }

    /** {sample variance, its standard error} of coordinate i (equal weights: reverse sampling). */
    private static double[] varianceAndSd(Result r, int i) {
        float[][] s = r.samples();
        int k = s.length;
        double m = 0;
        for (float[] v : s) m += v[i];
        m /= k;
        double m2 = 0, m4 = 0;
        for (float[] v : s) {
            double c = (v[i] - m) * (v[i] - m);
            m2 += c;
            m4 += c * c;
        }
        m2 /= k;
        m4 /= k;
        return new double[] {m2, Math.sqrt(Math.max(m4 - m2 * m2, 0) / k)};
    }

    /** Reverse diffusion from the ε-network: same samples as the exact prior, moments of the exact prior. */
    @Test
    void reverseSamplingFromAnEpsNetworkMatchesTheExactPrior() {
        String sample = "sample x with reverse();\n";
        int k = 2000, steps = 100;
        Result ts = run(torchPrior("prior", "gmm_eps.pt", "eps") + sample, k, steps, 1);
        Result twin = run(exactPrior("prior") + sample, k, steps, 1);
        assertTrue(maxDiff(ts.mean(), twin.mean()) < 1e-3, "same seed, same sampler: " + ts.summary() + " vs " + twin.summary());
        Result independent = run(exactPrior("prior") + sample, k, steps, 2);
        double[] exactMean = TorchScriptFixtures.GMM.mean();
        double[][] exactCov = TorchScriptFixtures.GMM.covariance();
        assertNull(momentsDisagree(ts, independent, exactMean, exactCov));

        // the check can fail: a score network declared as an eps network samples something else
        Result wrong = run(torchPrior("prior", "gmm_score.pt", "eps") + sample, k, steps, 1);
        assertNotNull(momentsDisagree(wrong, independent, exactMean, exactCov));
    }

    /**
     * TDS twists through Tweedie's x̂0 = f(ε̂(x)); for an energy network ε̂ is itself a gradient, so this runs the
     * second-order path. The posterior mean must match the exact posterior within 4 seed-to-seed standard
     * deviations of this setting (K = 256, 20 steps: sd 0.08 for x[0] and 0.13 for x[1], measured over 10 seeds
     * with the exact prior).
     */
    @Test
    void tdsThroughAnEnergyNetworkMatchesTheExactPosterior() {
        assertTdsMatchesTwinAndExactPosterior("gmm_energy.pt", "energy", "sample x with tds();\n");
    }

    /** The TorchScript prior's TDS run equals its exact twin's for the same seed and has the exact posterior mean. */
    private static void assertTdsMatchesTwinAndExactPosterior(String file, String parameterization, String sample) {
        Result ts = run(torchPrior("prior", file, parameterization) + OBSERVE + sample, 256, 20, 3);
        Result twin = run(exactPrior("prior") + OBSERVE + sample, 256, 20, 3);
        assertTrue(maxDiff(ts.mean(), twin.mean()) < 1e-3, "same seed, same sampler: " + ts.summary() + " vs " + twin.summary());
        DflModel exactModel = Dfl.compile(exactPrior("prior") + OBSERVE + sample, "exact.dfl");
        double[] exact = PlanReference.of(exactModel.plan(), StdlibProvider.builder().build()).posterior().mean();
        assertEquals(exact[0], ts.mean()[0], 4 * 0.08, "x[0]");
        assertEquals(exact[1], ts.mean()[1], 4 * 0.13, "x[1]");
    }

    /**
     * Second-order twists take one vector-Jacobian product per observed row through the network with the graph kept
     * between them (JniUtils.backward with keepGraph): through a TorchScript ε-network they must give the exact twin's
     * run for the same seed, and a posterior mean within the tolerance of the first-order test above.
     */
    @Test
    void secondOrderTdsThroughAnEpsNetworkMatchesItsExactTwin() {
        assertTdsMatchesTwinAndExactPosterior("gmm_eps.pt", "eps", "sample x with tds(twist_var = second_order);\n");
    }

    /**
     * A mixture needs every component's energy, and annealed MCMC with mh = energy uses them in its
     * Metropolis–Hastings ratios: the TorchScript energy must give the same chains and log Z as the exact mixture.
     */
    @Test
    void annealedMixtureWithEnergyMetropolisHastings() {
        String rest = exactPrior("q").replace(TorchScriptFixtures.GMM_DFL, "gmm(means = [[0, 1.5]], std = 0.4)")
                + "compose mix(p, q, weights = [0.6, 0.4]);\n"
                + "sample x with annealed(kernel = hmc(leapfrog = 3), mh = energy, levels = 10, steps_per_level = 2);\n";
        Result ts = run(torchPrior("p", "gmm_energy.pt", "energy") + rest, 128, 10, 5);
        Result twin = run(exactPrior("p") + rest, 128, 10, 5);
        assertTrue(maxDiff(ts.mean(), twin.mean()) < 1e-3, "same seed, same sampler: " + ts.summary() + " vs " + twin.summary());
        assertTrue(ts.logEvidence().isPresent());
        assertEquals(twin.logEvidence().getAsDouble(), ts.logEvidence().getAsDouble(), 1e-3, "log Z from the energies");

        // the comparison notices a small change of the prior (weights 0.35/0.65 instead of 0.3/0.7)
        Result other = run(exactPrior("p").replace("weights = [0.3, 0.7]", "weights = [0.35, 0.65]") + rest, 128, 10, 5);
        assertTrue(maxDiff(other.mean(), ts.mean()) > 1e-3, "the comparison must notice a different prior: " + other.summary());
    }

    @Test
    void aMixtureWithAnEpsNetworkIsRejectedAtCompileTime() {
        String src = torchPrior("p", "gmm_eps.pt", "eps") + exactPrior("q") + "compose mix(p, q);\nsample x with annealed();\n";
        DflCompileException e = assertThrows(DflCompileException.class, () -> Dfl.compile(src, "mix.dfl"));
        assertTrue(e.rendered().contains("energ"), e.rendered());
    }

    @Test
    void nanOutputsAreANumericalFailure() {
        DflRunException e = assertThrows(DflRunException.class,
                () -> run(torchPrior("prior", "nan_eps.pt", "eps") + "sample x with reverse();\n", 4, 3, 0));
        assertEquals(Code.E0303, e.code());
    }

    /** Relative paths resolve like load(...): working folder, then the model file's folder; the data root confines them. */
    @Test
    void relativePathsResolveAgainstTheModelFolderAndRespectTheDataRoot(@TempDir Path dir) throws Exception {
        Files.copy(TorchScriptFixtures.path("gmm_eps.pt"), dir.resolve("prior.pt"));
        String src = "prior = diffusion(torchscript(\"prior.pt\", shape = [2]), " + TorchScriptFixtures.SCHEDULE_ARGS + ");\n"
                + "sample x with reverse();\n";
        Path file = dir.resolve("model.dfl");
        Files.writeString(file, src);
        DflModel m = Dfl.compile(file);
        try (SamplerRun r = m.sampler().optParticles(8).optSteps(3).build()) {
            assertEquals(8, r.run().size());
        }
        try (SamplerRun r = m.sampler().optParticles(8).optSteps(3).optDataRoot(dir.resolve("sub")).build()) {
            assertEquals(Code.E0306, assertThrows(DflRunException.class, r::run).code());
        }
        DflModel missing = Dfl.compile(src.replace("prior.pt", "absent.pt"), "missing.dfl");
        try (SamplerRun r = missing.sampler().optParticles(8).optSteps(3).build()) {
            DflRunException e = assertThrows(DflRunException.class, r::run);
            assertEquals(Code.E0301, e.code());
            assertTrue(e.getMessage().contains("absent.pt"), e.getMessage());
        }
    }
}
