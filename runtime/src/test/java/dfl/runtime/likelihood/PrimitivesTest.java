package dfl.runtime.likelihood;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import dfl.plan.Primitive;
import dfl.plan.Shape;
import dfl.plan.TensorExpr;
import dfl.runtime.TestPlans;
import dfl.runtime.model.RuntimeProvider;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The forward operators against plain Java loops (values) and central finite differences (gradients), through the
 * {@link ExprEvaluator} with K = 2 particles, in float64: every primitive a twist or DPS differentiates.
 */
class PrimitivesTest {

    private final ExprEvaluator ev = new ExprEvaluator(RuntimeProvider.NONE, DataType.FLOAT64);

    private static TensorExpr.Latent latent(int... s) {
        return new TensorExpr.Latent(Shape.of(s));
    }

    private static TensorExpr apply(Primitive p, Shape out, TensorExpr... args) {
        return new TensorExpr.Apply(p, List.of(args), out);
    }

    private static double[] random(int n, long seed, double lo, double hi) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = lo + (hi - lo) * r.nextDouble();
        return v;
    }

    /** G at K = 2 particles of the latent's shape {@code dims}, values row-major. */
    private double[] eval(TensorExpr g, double[] x, int... dims) {
        try (NDManager m = NDManager.newBaseManager()) {
            return ev.evaluate(g, m.create(x, batch(dims)), m).array().toDoubleArray();
        }
    }

    private static ai.djl.ndarray.types.Shape batch(int... dims) {
        long[] d = new long[dims.length + 1];
        d[0] = 2;
        for (int i = 0; i < dims.length; i++) d[i + 1] = dims[i];
        return new ai.djl.ndarray.types.Shape(d);
    }

    @Test
    void elementwiseFunctionsMatchJava() {
        double[] x = {-3.2, -0.4, 0.01, 0.7, 2.5, 40};
        double[] positive = {0.02, 0.4, 1, 3.3, 17, 1e-3};
        check(Primitive.Function.EXP, Math::exp, x);
        check(Primitive.Function.TANH, Math::tanh, x);
        check(Primitive.Function.SIGMOID, v -> 1 / (1 + Math.exp(-v)), x);
        check(Primitive.Function.SOFTPLUS, v -> Math.log1p(Math.exp(v)), x);
        check(Primitive.Function.ABS, Math::abs, x);
        check(Primitive.Function.LOG, Math::log, positive);
        check(Primitive.Function.SQRT, Math::sqrt, positive);
    }

    private void check(Primitive.Function f, DoubleUnaryOperator java, double[] x) {
        double[] got = eval(apply(new Primitive.Elementwise(f), Shape.of(3), latent(3)), x, 3);
        for (int i = 0; i < x.length; i++) assertEquals(java.applyAsDouble(x[i]), got[i], 1e-12 * (1 + Math.abs(got[i])), f + " at " + x[i]);
    }

    @Test
    void sumsMeansAndReshapesArePerParticle() {
        double[] x = random(2 * 24, 1, -1, 1);
        double[] rows = eval(apply(new Primitive.Reduce(false, List.of(1)), Shape.of(2, 4), latent(2, 3, 4)), x, 2, 3, 4);
        double[] all = eval(apply(new Primitive.Reduce(true, List.of(0, 1, 2)), Shape.SCALAR, latent(2, 3, 4)), x, 2, 3, 4);
        for (int p = 0; p < 2; p++) {
            double total = 0;
            for (int a = 0; a < 2; a++) {
                for (int c = 0; c < 4; c++) {
                    double s = 0;
                    for (int b = 0; b < 3; b++) s += x[p * 24 + a * 12 + b * 4 + c];
                    assertEquals(s, rows[p * 8 + a * 4 + c], 1e-12);
                    total += s;
                }
            }
            assertEquals(total / 24, all[p], 1e-12);
        }
        // a reshape keeps the row-major order of each particle
        assertArrayEquals(x, eval(apply(new Primitive.Reshape(), Shape.of(6, 4), latent(2, 3, 4)), x, 2, 3, 4), 0);
        // data (no particle dimension) reduce over their own axes
        TensorExpr c = TestPlans.matrix(new double[][] {{1, 2, 3}, {4, 5, 6}});
        try (NDManager m = NDManager.newBaseManager()) {
            assertArrayEquals(new double[] {6, 15}, ev.constant(apply(new Primitive.Reduce(false, List.of(1)), Shape.of(2), c), m).toDoubleArray(), 0);
        }
    }

    @Test
    void conv2dIsPyTorchsCrossCorrelationForEveryPadding() {
        int h = 5, w = 6;
        double[] x = random(2 * 2 * h * w, 2, -1, 1);
        double[][] k = {{0.5, -1, 0.25}, {2, 0, -0.5}, {1, 0.3, -0.2}};
        double[][] k2 = {{0.5, -1}, {2, 0.7}, {1, 0.3}};
        for (double[][] kernel : new double[][][] {k, k2}) {
            for (Primitive.Padding pad : Primitive.Padding.values()) {
                int kh = kernel.length, kw = kernel[0].length;
                if (pad == Primitive.Padding.SAME && kw % 2 == 0) continue;
                int ph = pad == Primitive.Padding.VALID ? 0 : pad == Primitive.Padding.SAME ? (kh - 1) / 2 : kh - 1;
                int pw = pad == Primitive.Padding.VALID ? 0 : pad == Primitive.Padding.SAME ? (kw - 1) / 2 : kw - 1;
                int oh = h + 2 * ph - kh + 1, ow = w + 2 * pw - kw + 1;
                double[] got = eval(apply(new Primitive.Conv2d(pad), Shape.of(2, oh, ow), latent(2, h, w), TestPlans.matrix(kernel)), x, 2, h, w);
                for (int s = 0; s < 4; s++) { // 2 particles × 2 leading slices
                    for (int i = 0; i < oh; i++) {
                        for (int j = 0; j < ow; j++) {
                            double v = 0;
                            for (int a = 0; a < kh; a++) {
                                for (int b = 0; b < kw; b++) {
                                    int r = i + a - ph, c = j + b - pw;
                                    if (r >= 0 && r < h && c >= 0 && c < w) v += kernel[a][b] * x[s * h * w + r * w + c];
                                }
                            }
                            assertEquals(v, got[s * oh * ow + i * ow + j], 1e-12, pad + " " + kh + "×" + kw + " at " + i + "," + j);
                        }
                    }
                }
            }
        }
    }

    @Test
    void fourierMagnitudeIsTheModulusOfTheDft() {
        int h = 4, w = 6;
        double[] x = random(2 * h * w, 3, -1, 1);
        double[] got = eval(apply(new Primitive.FourierMagnitude(), Shape.of(h, w), latent(h, w)), x, h, w);
        for (int p = 0; p < 2; p++) {
            for (int u = 0; u < h; u++) {
                for (int v = 0; v < w; v++) {
                    double re = 0, im = 0;
                    for (int a = 0; a < h; a++) {
                        for (int b = 0; b < w; b++) {
                            double ang = -2 * Math.PI * ((double) u * a / h + (double) v * b / w);
                            re += x[p * h * w + a * w + b] * Math.cos(ang);
                            im += x[p * h * w + a * w + b] * Math.sin(ang);
                        }
                    }
                    assertEquals(Math.hypot(re, im), got[p * h * w + u * w + v], 1e-12);
                }
            }
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Shape img = Shape.of(4, 5);
        TensorExpr x = latent(4, 5);
        double[][] kernel = {{0.5, -1, 0.25}, {2, 0.1, -0.5}};
        List<TensorExpr> cases = List.of(
                apply(new Primitive.Elementwise(Primitive.Function.EXP), img, x),
                apply(new Primitive.Elementwise(Primitive.Function.LOG), img, x),
                apply(new Primitive.Elementwise(Primitive.Function.TANH), img, x),
                apply(new Primitive.Elementwise(Primitive.Function.SIGMOID), img, x),
                apply(new Primitive.Elementwise(Primitive.Function.SOFTPLUS), img, x),
                apply(new Primitive.Elementwise(Primitive.Function.ABS), img, x),
                apply(new Primitive.Elementwise(Primitive.Function.SQRT), img, x),
                apply(new Primitive.Reduce(false, List.of(0)), Shape.of(5), x),
                apply(new Primitive.Reduce(true, List.of(1)), Shape.of(4), x),
                apply(new Primitive.Reshape(), Shape.of(2, 10), x),
                apply(new Primitive.Conv2d(Primitive.Padding.FULL), Shape.of(5, 7), x, TestPlans.matrix(kernel)),
                apply(new Primitive.FourierMagnitude(), img, x),
                // the phase-retrieval and photon-counting compositions
                apply(new Primitive.FourierMagnitude(), img, apply(new Primitive.Elementwise(Primitive.Function.TANH), img, x)),
                apply(new Primitive.Elementwise(Primitive.Function.EXP), img, apply(new Primitive.Conv2d(Primitive.Padding.SAME), img, x,
                        TestPlans.matrix(new double[][] {{0, 0.2, 0}, {0.2, 0.2, 0.2}, {0, 0.2, 0}}))));
        double[] point = random(2 * 20, 4, 0.2, 1.5); // positive, away from the kinks of abs, log and sqrt
        for (TensorExpr g : cases) {
            double[] weights = random((int) (2 * g.shape().size()), 5, -1, 1);
            double[] grad = gradient(g, point, weights);
            for (int j = 0; j < point.length; j++) {
                double h = 1e-6;
                double[] xp = point.clone(), xm = point.clone();
                xp[j] += h;
                xm[j] -= h;
                double fd = (weighted(g, xp, weights) - weighted(g, xm, weights)) / (2 * h);
                assertEquals(fd, grad[j], 1e-6 * (1 + Math.abs(fd)), g + " coordinate " + j);
            }
        }
    }

    /** Where |FFT2(x)| or |x| is 0 the gradient is the subgradient 0, never NaN. */
    @Test
    void kinksHaveFiniteGradients() {
        double[] constant = new double[2 * 20];
        java.util.Arrays.fill(constant, 0.5);
        for (TensorExpr g : List.of(apply(new Primitive.FourierMagnitude(), Shape.of(4, 5), latent(4, 5)),
                apply(new Primitive.Elementwise(Primitive.Function.ABS), Shape.of(4, 5),
                        new TensorExpr.Binary(TensorExpr.Op.SUB, latent(4, 5), TensorExpr.Const.scalar(0.5), Shape.of(4, 5))))) {
            double[] grad = gradient(g, constant, random(40, 6, -1, 1));
            for (double v : grad) assertTrue(Double.isFinite(v), g + ": " + v);
        }
        double[] fourier = eval(apply(new Primitive.FourierMagnitude(), Shape.of(4, 5), latent(4, 5)), constant, 4, 5);
        assertEquals(10, fourier[0], 1e-12, "the DC term of twenty halves");
        assertFalse(fourier[1] > 1e-12, "a constant image has no other frequencies");
    }

    private double weighted(TensorExpr g, double[] x, double[] w) {
        double[] v = eval(g, x, 4, 5);
        double s = 0;
        for (int i = 0; i < v.length; i++) s += w[i] * v[i];
        return s;
    }

    private double[] gradient(TensorExpr g, double[] x, double[] w) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray xa = m.create(x, batch(4, 5));
            xa.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray out = ev.evaluate(g, xa, m).array();
                gc.backward(out.mul(m.create(w, out.getShape())).sum());
            }
            return xa.getGradient().toDoubleArray();
        }
    }
}
