package dfl.stdlib.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import dfl.diag.Code;
import dfl.plan.Condition;
import dfl.plan.FactorRef;
import dfl.plan.Shape;
import dfl.plan.TorchScriptOperator;
import dfl.runtime.DflRuntimeException;
import dfl.runtime.gmm.GaussianMixture;
import dfl.runtime.gmm.GmmDiffusion;
import dfl.runtime.model.ConditionalDiffusionModel;
import dfl.runtime.model.DiffusionModel;
import dfl.runtime.model.LogDensityFactor;
import dfl.source.Span;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * User factors, classifiers, conditional networks and operators (make_fixtures.py's exact Gaussian-mixture networks)
 * against the same quantities computed in Java in float64, their input gradients against the analytic ones and finite
 * differences, and the diagnostics of bad files.
 */
class TorchScriptUserModelsTest {

    private static final Shape XY = Shape.of(2);
    private static final int K = 6;

    /** K random points, spread over both components. */
    private static double[][] points(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] x = new double[K][2];
        for (double[] p : x) {
            p[0] = 1.5 * r.nextGaussian();
            p[1] = 1.5 * r.nextGaussian();
        }
        return x;
    }

    private static NDArray batch(NDManager m, double[][] x, DataType type) {
        double[] flat = new double[x.length * 2];
        for (int i = 0; i < x.length; i++) System.arraycopy(x[i], 0, flat, 2 * i, 2);
        return m.create(flat, new ai.djl.ndarray.types.Shape(x.length, 2)).toType(type, false);
    }

    private static double[] d(NDArray a) {
        return a.toType(DataType.FLOAT64, false).toDoubleArray();
    }

    private static void close(double[] expected, double[] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tol * (1 + Math.abs(expected[i])), what + " [" + i + "]");
        }
    }

    private static TorchScriptFactor factor(String file, boolean noisy) {
        return TorchScriptFactor.load(TorchScriptFixtures.path(file), new FactorRef.TorchScript(file, XY, noisy));
    }

    private static TorchScriptFactor classifier(String file, int label, double temperature, int classes, boolean noisy) {
        return TorchScriptFactor.load(TorchScriptFixtures.path(file),
                new FactorRef.TorchScriptClassifier(file, XY, label, temperature, classes, noisy));
    }

    /** log N(0.3; x0 + 0.5 x1, 0.3²) and its gradient, through a float64 latent (the cast DJL's toType would detach). */
    @Test
    void logDensityFactorAndItsGradientEqualTheFormula() {
        double[][] x = points(1);
        try (TorchScriptFactor f = factor("gauss_loglik.pt", false); NDManager m = NDManager.newBaseManager()) {
            NDArray xs = batch(m, x, DataType.FLOAT64);
            xs.setRequiresGradient(true);
            NDArray out;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                out = LogDensityFactor.powered(f, 2.0, xs, xs, 0);
                gc.backward(out.sum());
            }
            double[] value = new double[K], grad = new double[2 * K];
            for (int p = 0; p < K; p++) {
                double r = 0.3 - (x[p][0] + 0.5 * x[p][1]);
                value[p] = 2 * (-0.5 * r * r / 0.09 - 0.5 * Math.log(2 * Math.PI * 0.09));
                grad[2 * p] = 2 * r / 0.09;
                grad[2 * p + 1] = 2 * 0.5 * r / 0.09;
            }
            assertEquals(DataType.FLOAT64, out.getDataType(), "the factor's value comes back in the latent's type");
            close(value, d(out), 1e-5, "γ log f");
            close(grad, d(xs.getGradient()), 1e-5, "∇ γ log f");
        }
    }

    /** log softmax(logits / τ)[k] of the Bayes classifier, clean and noise-conditioned, equals the exact mixture's. */
    @Test
    void classifiersGiveTheExactClassProbabilities() {
        double[][] x = points(2);
        try (NDManager m = NDManager.newBaseManager()) {
            for (double tau : new double[] {1.0, 4.0}) {
                for (int label : new int[] {0, 1}) {
                    try (TorchScriptFactor c = classifier("gmm_logits.pt", label, tau, 2, false)) {
                        double[] expected = new double[K];
                        for (int p = 0; p < K; p++) expected[p] = logSoftmax(TorchScriptFixtures.logits(x[p], 1.0), label, tau);
                        close(expected, d(c.logDensity(batch(m, x, DataType.FLOAT32))), 1e-5, "clean, τ = " + tau + ", label " + label);
                    }
                }
            }
            try (TorchScriptFactor c = classifier("gmm_noisy_logits.pt", 1, 1.0, 0, true);
                    TorchScriptFactor f = factor("gmm_noisy_logp1.pt", true)) {
                for (int t : new int[] {0, 50, 199}) {
                    double ab = TorchScriptFixtures.schedule().alphaBar(t);
                    double[] expected = new double[K];
                    for (int p = 0; p < K; p++) expected[p] = logSoftmax(TorchScriptFixtures.logits(x[p], ab), 1, 1.0);
                    close(expected, d(c.logDensity(batch(m, x, DataType.FLOAT32), t)), 1e-5, "noisy classifier at t = " + t);
                    close(expected, d(f.logDensity(batch(m, x, DataType.FLOAT32), t)), 1e-5, "noisy factor at t = " + t);
                }
                // in the target a noise-conditioned factor is its value at training step 0
                close(d(c.logDensity(batch(m, x, DataType.FLOAT32), 0)), d(c.logDensity(batch(m, x, DataType.FLOAT32))), 0, "t = 0");
            }
        }
    }

    private static double logSoftmax(double[] logits, int label, double tau) {
        double[] s = new double[logits.length];
        for (int i = 0; i < s.length; i++) s[i] = logits[i] / tau;
        return s[label] - dfl.runtime.smc.LogSumExp.of(s);
    }

    /**
     * gmm_cond_eps.pt given label k is component k alone, given null the whole mixture, and gauss_vec_eps.pt given c is
     * N(c, VEC_COV): ε̂ equals the exact model's at every tested step; the ConditionalDiffusionModel's given(c) view is
     * the prior the samplers see.
     */
    @Test
    void conditionalNetworksGivenAConditionAreTheExactConditionalPriors() {
        double[][] x = points(3);
        List<Condition> labels = List.of(new Condition.Label(0), new Condition.Label(1), new Condition.Null());
        List<GaussianMixture> exact = List.of(TorchScriptFixtures.component(0), TorchScriptFixtures.component(1), TorchScriptFixtures.GMM);
        try (NDManager m = NDManager.newBaseManager();
                ConditionalDiffusionModel net = TorchScriptPrior.loadConditional(TorchScriptFixtures.path("gmm_cond_eps.pt"), "gmm_cond_eps.pt",
                        "eps", XY, TorchScriptFixtures.schedule(), 2);
                ConditionalDiffusionModel vec = TorchScriptPrior.loadConditional(TorchScriptFixtures.path("gauss_vec_eps.pt"), "gauss_vec_eps.pt",
                        "eps", XY, TorchScriptFixtures.schedule(), 0)) {
            for (int t : new int[] {0, 37, 199}) {
                for (int i = 0; i < labels.size(); i++) {
                    GmmDiffusion g = new GmmDiffusion(exact.get(i), TorchScriptFixtures.schedule(), XY);
                    double[] want = d(g.eps(batch(m, x, DataType.FLOAT64), t));
                    close(want, d(net.eps(batch(m, x, DataType.FLOAT32), t, labels.get(i))), 1e-5, labels.get(i) + " at t = " + t);
                }
                double[] c = {1.0, -0.5};
                GaussianMixture shifted = new GaussianMixture(new double[] {1.0}, new double[][] {c}, new double[][][] {TorchScriptFixtures.VEC_COV});
                double[] want = d(new GmmDiffusion(shifted, TorchScriptFixtures.schedule(), XY).score(batch(m, x, DataType.FLOAT64), t));
                DiffusionModel given = vec.given(new Condition.Vector(List.of(1.0, -0.5)));
                close(want, d(given.score(batch(m, x, DataType.FLOAT32), t)), 1e-5, "vector condition at t = " + t);
            }
        }
    }

    /** ∂op(x)/∂x through the operator (float64 latent, cast in the graph) equals central differences of op itself. */
    @Test
    void operatorGradientsEqualFiniteDifferences() {
        double[][] x = points(4);
        TorchScriptOperator spec = new TorchScriptOperator("nonlinear_op.pt", XY, Shape.of(3), Span.NONE);
        try (TorchScriptOp op = TorchScriptOp.load(spec, TorchScriptFixtures::path); NDManager m = NDManager.newBaseManager()) {
            for (int row = 0; row < 3; row++) {
                NDArray xs = batch(m, x, DataType.FLOAT64);
                xs.setRequiresGradient(true);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray out = op.apply(List.of(xs), new boolean[] {true}, m);
                    assertEquals(DataType.FLOAT64, out.getDataType());
                    gc.backward(out.get(new NDIndex(":, {}", row)).sum());
                }
                double[] grad = d(xs.getGradient());
                double h = 1e-2;
                for (int p = 0; p < K; p++) {
                    for (int j = 0; j < 2; j++) {
                        double[][] plus = copy(x), minus = copy(x);
                        plus[p][j] += h;
                        minus[p][j] -= h;
                        double fd = (value(op, plus, m, p, row) - value(op, minus, m, p, row)) / (2 * h);
                        // float32 forward: central differences with h = 1e-2 agree to about 1e-4 here
                        assertEquals(fd, grad[2 * p + j], 2e-3 * (1 + Math.abs(fd)), "∂op_" + row + "/∂x_" + j + " of particle " + p);
                    }
                }
            }
            // a constant argument (no particle dimension) goes through as a batch of one
            NDArray c = m.create(new double[] {0.5, 2.0});
            close(new double[] {0.25, Math.sin(2.0), 1.0}, d(op.apply(List.of(c), new boolean[] {false}, m)), 1e-6, "op of a constant");
        }
    }

    private static double value(TorchScriptOp op, double[][] x, NDManager m, int p, int row) {
        return d(op.apply(List.of(batch(m, x, DataType.FLOAT64)), new boolean[] {true}, m))[3 * p + row];
    }

    private static double[][] copy(double[][] x) {
        double[][] c = new double[x.length][];
        for (int i = 0; i < x.length; i++) c[i] = x[i].clone();
        return c;
    }

    @Test
    void badFilesGiveDiagnosticsNamingTheFileAndWhatWasExpected() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.zeros(new ai.djl.ndarray.types.Shape(4, 2), DataType.FLOAT32);
            assertFails(Code.E0305, "must return its log-density as one number per sample", () -> logDensity(factor("factor_wrong_shape.pt", false), x, -1));
            assertFails(Code.E0303, "returned NaN", () -> logDensity(factor("factor_nan.pt", false), x, -1));
            assertFails(Code.E0305, "has no forward method", () -> logDensity(factor("no_forward.pt", false), x, -1));
            // a clean classifier declared noise-conditioned gets (x, t): one argument too many
            assertFails(Code.E0305, "t: float32 [B]", () -> logDensity(classifier("gmm_logits.pt", 0, 1.0, 2, true), x, 5));
            // logits of two classes, but three declared; a label beyond the logits
            assertFails(Code.E0305, "declared classes = 3", () -> logDensity(classifier("gmm_logits.pt", 0, 1.0, 3, false), x, -1));
            assertFails(Code.E0305, "label 4 is out of range", () -> logDensity(classifier("gmm_logits.pt", 4, 1.0, 0, false), x, -1));
            // a log-density network used as a classifier returns [B], not logits
            assertFails(Code.E0305, "must return logits", () -> logDensity(classifier("gauss_loglik.pt", 0, 1.0, 0, false), x, -1));
            // an unconditional network given a condition, and a conditional one without
            ConditionalDiffusionModel plain = TorchScriptPrior.loadConditional(TorchScriptFixtures.path("gmm_eps.pt"), "gmm_eps.pt", "eps", XY,
                    TorchScriptFixtures.schedule(), 2);
            assertFails(Code.E0305, "c: int64 [B]", () -> plain.eps(x, 3, new Condition.Label(1)));
            plain.close();
            TorchScriptPrior cond = TorchScriptFixtures.load("gmm_cond_eps.pt", "eps", XY);
            assertFails(Code.E0305, "a conditional network needs cond", () -> cond.eps(x, 3));
            cond.close();
            Span at = new Span(3, 5, 3, 9);
            TorchScriptOp op = TorchScriptOp.load(new TorchScriptOperator("nonlinear_op.pt", XY, XY, at), TorchScriptFixtures::path);
            DflRuntimeException e = assertFails(Code.E0305, "out_shape", () -> op.apply(List.of(x), new boolean[] {true}, m));
            assertEquals(at, e.span(), "an operator's failure is placed at its call");
            op.close();
        }
    }

    /** The factor's log-density at x (at training step t, or of the clean latent when t &lt; 0), the factor closed. */
    private static void logDensity(TorchScriptFactor f, NDArray x, int t) {
        try (f) {
            if (t < 0) f.logDensity(x);
            else f.logDensity(x, t);
        }
    }

    private static DflRuntimeException assertFails(Code code, String fragment, org.junit.jupiter.api.function.Executable body) {
        DflRuntimeException e = assertThrows(DflRuntimeException.class, body);
        assertEquals(code, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), "expected '" + fragment + "' in: " + e.getMessage());
        return e;
    }
}
