package dfl.stdlib.runtime;

import static dfl.stdlib.runtime.TorchScriptFixtures.doubles;
import static dfl.stdlib.runtime.TorchScriptFixtures.floats;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import com.google.gson.JsonObject;
import dfl.diag.Code;
import dfl.plan.Shape;
import dfl.runtime.DflRuntimeException;
import dfl.runtime.gmm.GmmDiffusion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TorchScript priors against torch 1.13's own outputs and gradients (mlp_*.pt) and against the exact noised
 * Gaussian mixture (gmm_*.pt vs {@link GmmDiffusion}); the loader's diagnostics.
 */
class TorchScriptPriorTest {

    private static final Shape GMM_SHAPE = Shape.of(2);

    /** max |a − b| / (1 + max |b|): float32 networks in two libtorch versions agree to about 1e-7 of the scale. */
    private static double err(double[] a, double[] b) {
        assertEquals(b.length, a.length, "length");
        double worst = 0, scale = 0;
        for (double v : b) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
        return worst / (1 + scale);
    }

    private static double[] d(NDArray a) {
        return a.toType(DataType.FLOAT64, false).toDoubleArray();
    }

    private static NDArray row(NDArray x, int i) {
        return x.get(new NDIndex("{}:{}", i, i + 1));
    }

    @Test
    void epsNetworkOutputsAndInputGradientsEqualPython() {
        JsonObject ref = TorchScriptFixtures.reference("eps");
        double[] t = doubles(ref, "t");
        try (TorchScriptPrior p = TorchScriptFixtures.load("mlp_eps.pt", "eps", Shape.of(1, 4, 4));
                NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(floats(ref, "x"), new ai.djl.ndarray.types.Shape(t.length, 1, 4, 4));
            NDArray v = m.create(floats(ref, "v"), x.getShape());
            x.setRequiresGradient(true);
            NDArray out;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray[] rows = new NDArray[t.length];
                for (int i = 0; i < t.length; i++) rows[i] = p.eps(row(x, i), (int) t[i]);
                out = NDArrays.concat(new ai.djl.ndarray.NDList(rows), 0);
                gc.backward(out.mul(v).sum());
            }
            assertTrue(err(d(out), doubles(ref, "out")) < 1e-5, "outputs: " + err(d(out), doubles(ref, "out")));
            double e = err(d(x.getGradient()), doubles(ref, "vjp"));
            assertTrue(e < 1e-5, "vector-Jacobian product: " + e);
            assertSame(x.getManager(), out.getManager());
        }
    }

    @Test
    void energyNetworkGivesPythonsEnergyGradientAndHessianVectorProduct() {
        JsonObject ref = TorchScriptFixtures.reference("energy");
        double[] t = doubles(ref, "t");
        int k = t.length;
        try (TorchScriptPrior p = TorchScriptFixtures.load("mlp_energy.pt", "energy", Shape.of(3));
                NDManager m = NDManager.newBaseManager()) {
            assertTrue(p.hasEnergy());
            NDArray x = m.create(floats(ref, "x"), new ai.djl.ndarray.types.Shape(k, 3));
            double[] energy = new double[k];
            double[] score = new double[k * 3];
            boolean before = JniUtils.isGradMode();
            for (int i = 0; i < k; i++) {
                energy[i] = d(p.energy(row(x, i), (int) t[i]))[0];
                System.arraycopy(d(p.score(row(x, i), (int) t[i])), 0, score, 3 * i, 3);
            }
            assertEquals(before, JniUtils.isGradMode(), "the grad mode is restored");
            assertTrue(err(energy, doubles(ref, "out")) < 1e-5, "energies");
            double[] grad = doubles(ref, "grad");
            for (int i = 0; i < grad.length; i++) grad[i] = -grad[i];
            assertTrue(err(score, grad) < 1e-5, "score = -grad E: " + err(score, grad));

            // second order, as TDS differentiates through eps: d/dx <v, score(x)> = -H v
            NDArray v = m.create(floats(ref, "v"), x.getShape());
            NDArray xg = x.duplicate();
            xg.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray total = null;
                for (int i = 0; i < k; i++) {
                    NDArray term = p.score(row(xg, i), (int) t[i]).mul(row(v, i)).sum();
                    total = total == null ? term : total.add(term);
                }
                gc.backward(total);
            }
            double[] hvp = doubles(ref, "hvp");
            for (int i = 0; i < hvp.length; i++) hvp[i] = -hvp[i];
            double e = err(d(xg.getGradient()), hvp);
            assertTrue(e < 1e-5, "Hessian-vector product: " + e);
        }
    }

    /** eps, score and energy files of the same noised mixture agree with the exact model and with each other. */
    @Test
    void gaussianMixtureFixturesMatchTheExactNoisedPrior() {
        GmmDiffusion exact = new GmmDiffusion(TorchScriptFixtures.GMM, TorchScriptFixtures.schedule(), GMM_SHAPE);
        SplittableRandom r = new SplittableRandom(4);
        int k = 6;
        float[] xs = new float[2 * k];
        for (int i = 0; i < xs.length; i++) xs[i] = (float) (1.5 * r.nextGaussian());
        try (TorchScriptPrior eps = TorchScriptFixtures.load("gmm_eps.pt", "eps", GMM_SHAPE);
                TorchScriptPrior score = TorchScriptFixtures.load("gmm_score.pt", "score", GMM_SHAPE);
                TorchScriptPrior energy = TorchScriptFixtures.load("gmm_energy.pt", "energy", GMM_SHAPE);
                NDManager m = NDManager.newBaseManager()) {
            assertFalse(eps.hasEnergy());
            assertFalse(score.hasEnergy());
            for (int t : new int[] {0, 37, 120, 199}) {
                NDArray x = m.create(xs, new ai.djl.ndarray.types.Shape(k, 2));
                NDArray x64 = x.toType(DataType.FLOAT64, false);
                double[] exactEps = d(exact.eps(x64, t));
                double[] exactScore = d(exact.score(x64, t));
                double[] exactEnergy = d(exact.energy(x64, t));
                String at = " at t = " + t;
                assertTrue(err(d(eps.eps(x, t)), exactEps) < 1e-6, "eps file" + at);
                assertTrue(err(d(score.eps(x, t)), exactEps) < 1e-6, "eps from the score file" + at);
                assertTrue(err(d(energy.eps(x, t)), exactEps) < 1e-6, "eps from the energy file (autograd)" + at);
                assertTrue(err(d(eps.score(x, t)), exactScore) < 1e-6, "score from the eps file" + at);
                assertTrue(err(d(score.score(x, t)), exactScore) < 1e-6, "score file" + at);
                assertTrue(err(d(energy.score(x, t)), d(score.score(x, t))) < 1e-6, "autograd score of the energy = score file" + at);
                assertTrue(err(d(energy.energy(x, t)), exactEnergy) < 1e-6, "energy file" + at);
                NDArray out = energy.score(x, t);
                assertSame(x.getManager(), out.getManager(), "results live in the caller's manager");
            }
        }
    }

    @Test
    void missingFileIsE0301() {
        DflRuntimeException e = assertThrows(DflRuntimeException.class,
                () -> TorchScriptPrior.load(Path.of("no/such/model.pt"), "no/such/model.pt", "eps", GMM_SHAPE, TorchScriptFixtures.schedule()));
        assertEquals(Code.E0301, e.code());
        assertTrue(e.getMessage().contains("no/such/model.pt") && e.getMessage().contains("no such file"), e.getMessage());
    }

    @Test
    void aFileThatIsNotTorchScriptIsE0305(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("model.pt");
        Files.writeString(f, "this is not a zip archive");
        DflRuntimeException e = assertThrows(DflRuntimeException.class,
                () -> TorchScriptPrior.load(f, "model.pt", "eps", GMM_SHAPE, TorchScriptFixtures.schedule()));
        assertEquals(Code.E0305, e.code());
        assertTrue(e.getMessage().contains("is not a TorchScript file"), e.getMessage());
    }

    @Test
    void wrongOutputShapesAndInputsAreE0305() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.zeros(new ai.djl.ndarray.types.Shape(4, 2), DataType.FLOAT32);
            try (TorchScriptPrior p = TorchScriptFixtures.load("wrong_shape.pt", "eps", GMM_SHAPE)) {
                DflRuntimeException e = assertThrows(DflRuntimeException.class, () -> p.eps(x, 3));
                assertEquals(Code.E0305, e.code());
                assertTrue(e.getMessage().contains("returned shape (4, 3)") && e.getMessage().contains("(4, 2)"), e.getMessage());
            }
            // an eps network declared as an energy returns [K, 2], not one number per sample
            try (TorchScriptPrior p = TorchScriptFixtures.load("gmm_eps.pt", "energy", GMM_SHAPE)) {
                DflRuntimeException e = assertThrows(DflRuntimeException.class, () -> p.energy(x, 3));
                assertEquals(Code.E0305, e.code());
                assertTrue(e.getMessage().contains("one number per sample"), e.getMessage());
                assertThrows(DflRuntimeException.class, () -> p.score(x, 3));
            }
            // a conv net over [1, 4, 4] declared over [2] fails inside forward
            try (TorchScriptPrior p = TorchScriptFixtures.load("mlp_eps.pt", "eps", GMM_SHAPE)) {
                DflRuntimeException e = assertThrows(DflRuntimeException.class, () -> p.eps(x, 3));
                assertEquals(Code.E0305, e.code());
                assertTrue(e.getMessage().contains("failed on x of shape (4, 2)"), e.getMessage());
            }
        }
    }
}
