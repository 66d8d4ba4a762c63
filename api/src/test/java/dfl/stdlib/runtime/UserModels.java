package dfl.stdlib.runtime;

import dfl.api.Dfl;
import dfl.api.DflModel;
import dfl.api.Result;
import dfl.api.SamplerRun;
import dfl.runtime.smc.LogSumExp;
import java.util.function.ToDoubleFunction;

/**
 * Programs over the TorchScript fixtures of make_fixtures.py with the fixtures' Gaussian-mixture prior, and their exact
 * answers: moments and log Z of a 2-D density by the midpoint rule on a grid.
 */
final class UserModels {

    private UserModels() {}

    /** {@code prior = diffusion(gmm(...))}: the mixture every fixture is built from, on the fixtures' schedule. */
    static final String PRIOR = "prior = diffusion(" + TorchScriptFixtures.GMM_DFL + ", " + TorchScriptFixtures.SCHEDULE_ARGS + ");\n";

    /** {@code torchscript("<absolute path of the fixture>", options)}. */
    static String torchscript(String file, String options) {
        return "torchscript(\"" + TorchScriptFixtures.path(file).toString().replace("\\", "/") + "\"" + (options.isEmpty() ? "" : ", " + options) + ")";
    }

    static Result run(String source, long seed) {
        DflModel m = Dfl.compile(source, "user-models.dfl");
        try (SamplerRun r = m.sampler().optSeed(seed).build()) {
            return r.run();
        }
    }

    /** The clean mixture's log-density. */
    static ToDoubleFunction<double[]> prior() {
        return TorchScriptFixtures.GMM.logDensityFunction();
    }

    /** log softmax(logits / τ)[label]. */
    static double logSoftmax(double[] logits, int label, double temperature) {
        double[] s = new double[logits.length];
        for (int i = 0; i < s.length; i++) s[i] = logits[i] / temperature;
        return s[label] - LogSumExp.of(s);
    }

    /** Mean, variance and log-normaliser of exp(logp) over a 2-D box. */
    record Exact(double[] mean, double[] variance, double logZ) {}

    /** The midpoint rule on an n × n grid over [lo, hi]²: the integrands here are smooth and negligible at the edges. */
    static Exact grid(ToDoubleFunction<double[]> logp, double lo, double hi, int n) {
        double h = (hi - lo) / n;
        double[] logCell = new double[n * n];
        double[] pt = new double[2];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                pt[0] = lo + (i + 0.5) * h;
                pt[1] = lo + (j + 0.5) * h;
                logCell[i * n + j] = logp.applyAsDouble(pt);
            }
        }
        double logZ = LogSumExp.of(logCell) + 2 * Math.log(h);
        double[] w = LogSumExp.normalise(logCell);
        double[] m = new double[2], q = new double[2];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double p = w[i * n + j], a = lo + (i + 0.5) * h, b = lo + (j + 0.5) * h;
                m[0] += p * a;
                m[1] += p * b;
                q[0] += p * a * a;
                q[1] += p * b * b;
            }
        }
        return new Exact(m, new double[] {q[0] - m[0] * m[0], q[1] - m[1] * m[1]}, logZ);
    }
}
