package dfl.runtime.likelihood;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import dfl.diag.Code;
import dfl.plan.Shape;
import dfl.plan.TensorExpr;
import dfl.plan.TensorExpr.Binary;
import dfl.plan.TensorExpr.Op;
import dfl.runtime.DflRuntimeException;
import dfl.runtime.TestPlans;
import dfl.runtime.model.RuntimeProvider;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExprEvaluatorTest {

    private final ExprEvaluator ev = new ExprEvaluator(RuntimeProvider.NONE, DataType.FLOAT64);

    private static TensorExpr.Latent latent(int... s) {
        return new TensorExpr.Latent(Shape.of(s));
    }

    @Test
    void matrixTimesBatchedVectorIsPerParticle() {
        double[][] a = {{1, 2}, {3, 4}, {5, 6}};
        TensorExpr e = new Binary(Op.MATMUL, TestPlans.matrix(a), latent(2), Shape.of(3));
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new double[] {1, 0, 0, 1}, new ai.djl.ndarray.types.Shape(2, 2));
            Batched out = ev.evaluate(e, x, m);
            assertTrue(out.batched());
            assertArrayEquals(new double[] {1, 3, 5, 2, 4, 6}, out.array().toDoubleArray(), 0);
        }
    }

    @Test
    void matrixTimesBatchedMatrixAndBatchedMatrixTimesConstants() {
        double[][] a = {{1, 2}, {3, 4}};
        try (NDManager m = NDManager.newBaseManager()) {
            // x: K=2 particles of shape [2, 2]
            NDArray x = m.create(new double[] {1, 0, 0, 1, 0, 1, 1, 0}, new ai.djl.ndarray.types.Shape(2, 2, 2));
            Batched left = ev.evaluate(new Binary(Op.MATMUL, TestPlans.matrix(a), latent(2, 2), Shape.of(2, 2)), x, m);
            assertArrayEquals(new double[] {1, 2, 3, 4, 2, 1, 4, 3}, left.array().toDoubleArray(), 0);
            Batched right = ev.evaluate(new Binary(Op.MATMUL, latent(2, 2), TestPlans.vector(new double[] {1, 10}), Shape.of(2)), x, m);
            assertArrayEquals(new double[] {1, 10, 10, 1}, right.array().toDoubleArray(), 0);
            Batched both = ev.evaluate(new Binary(Op.MATMUL, latent(2, 2), latent(2, 2), Shape.of(2, 2)), x, m);
            assertArrayEquals(new double[] {1, 0, 0, 1, 1, 0, 0, 1}, both.array().toDoubleArray(), 0);
        }
    }

    @Test
    void broadcastingNeverMixesTheParticleDimension() {
        // x has per-particle shape [2]; c has shape [3, 2]: x * c must be [K, 3, 2] with x broadcast over rows
        double[][] c = {{1, 1}, {2, 2}, {3, 3}};
        TensorExpr e = new Binary(Op.MUL, latent(2), TestPlans.matrix(c), Shape.of(3, 2));
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new double[] {1, 2, 10, 20, 100, 200}, new ai.djl.ndarray.types.Shape(3, 2));
            Batched out = ev.evaluate(e, x, m);
            assertEquals(new ai.djl.ndarray.types.Shape(3, 3, 2), out.array().getShape());
            double[] v = out.array().toDoubleArray();
            assertArrayEquals(new double[] {1, 2, 2, 4, 3, 6}, java.util.Arrays.copyOfRange(v, 0, 6), 0);
            assertArrayEquals(new double[] {100, 200, 200, 400, 300, 600}, java.util.Arrays.copyOfRange(v, 12, 18), 0);
            TensorExpr arith = new Binary(Op.POW, new Binary(Op.SUB, new TensorExpr.Neg(latent(2), Shape.of(2)),
                    TensorExpr.Const.scalar(1), Shape.of(2)), TensorExpr.Const.scalar(2), Shape.of(2));
            assertArrayEquals(new double[] {4, 9, 121, 441, 10201, 40401}, ev.evaluate(arith, x, m).array().toDoubleArray(), 1e-9);
            TensorExpr div = new Binary(Op.DIV, TensorExpr.Const.scalar(1), latent(2), Shape.of(2));
            assertArrayEquals(new double[] {1, 0.5, 0.1, 0.05, 0.01, 0.005}, ev.evaluate(div, x, m).array().toDoubleArray(), 1e-12);
        }
    }

    @Test
    void gradientsArePerParticle() {
        double[][] a = {{1, 2}, {3, 4}};
        TensorExpr e = new Binary(Op.MATMUL, TestPlans.matrix(a), latent(2), Shape.of(2));
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new double[] {1, 2, -1, 0.5}, new ai.djl.ndarray.types.Shape(2, 2));
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray out = ev.evaluate(e, x, m).array();
                gc.backward(out.square().sum());
            }
            // d/dx Σ (A x)² = 2 Aᵀ A x, separately for each particle
            double[] g = x.getGradient().toDoubleArray();
            double[][] ata = {{10, 14}, {14, 20}};
            double[][] xs = {{1, 2}, {-1, 0.5}};
            for (int p = 0; p < 2; p++) {
                for (int i = 0; i < 2; i++) {
                    assertEquals(2 * (ata[i][0] * xs[p][0] + ata[i][1] * xs[p][1]), g[p * 2 + i], 1e-12);
                }
            }
        }
    }

    @Test
    void builtinsAndDataWithoutAProviderAreClearErrors() {
        TensorExpr b = new TensorExpr.Builtin("blur", List.of(latent(2)), dfl.plan.BuiltinOptions.NONE, Shape.of(2));
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.zeros(new ai.djl.ndarray.types.Shape(1, 2), DataType.FLOAT64);
            DflRuntimeException e = assertThrows(DflRuntimeException.class, () -> ev.evaluate(b, x, m));
            assertEquals(Code.E0305, e.code());
            assertTrue(e.getMessage().contains("blur"));
            TensorExpr load = new TensorExpr.Load("y.png", Shape.of(2), dfl.source.Span.NONE);
            assertEquals(Code.E0301, assertThrows(DflRuntimeException.class, () -> ev.evaluate(load, x, m)).code());
        }
    }
}
