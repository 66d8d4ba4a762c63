package dfl.runtime.likelihood;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dfl.diag.Code;
import dfl.plan.FactorRef;
import dfl.plan.LikelihoodFamily;
import dfl.plan.ModelRef;
import dfl.plan.SamplerPlan;
import dfl.plan.Schedule;
import dfl.plan.Shape;
import dfl.plan.TensorExpr;
import dfl.runtime.DflRuntimeException;
import dfl.runtime.model.DiffusionModel;
import dfl.runtime.model.LogDensityFactor;
import dfl.runtime.model.RuntimeProvider;
import dfl.source.Span;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Data read at run time is checked against the family's support when the observation is built (E0308, located). */
class LikelihoodTermTest {

    /** A provider whose only data is {@code values}, for every data node. */
    private static RuntimeProvider data(double... values) {
        return new RuntimeProvider() {
            public DiffusionModel diffusion(ModelRef model, Schedule schedule, Shape shape, NDManager manager) {
                throw new UnsupportedOperationException();
            }

            public LogDensityFactor factor(FactorRef factor, Shape shape, NDManager manager) {
                throw new UnsupportedOperationException();
            }

            public NDArray builtin(TensorExpr.Builtin call, List<NDArray> args, boolean[] batched, NDManager manager) {
                throw new UnsupportedOperationException();
            }

            public NDArray data(TensorExpr node, NDManager manager) {
                return manager.create(values, ExprEvaluator.toDjl(node.shape()));
            }
        };
    }

    private static final Span DATA = new Span(4, 9, 4, 24);
    private static final Span STATEMENT = new Span(4, 1, 4, 40);

    private static LikelihoodTerm term(LikelihoodFamily family, TensorExpr data, double... values) {
        SamplerPlan.Likelihood l = new SamplerPlan.Likelihood(data, new TensorExpr.Latent(data.shape()), family, STATEMENT);
        return new LikelihoodTerm(l, new ExprEvaluator(data(values), DataType.FLOAT32));
    }

    @Test
    void loadedCountsMustBeWholeAndNonNegative() {
        TensorExpr.Load counts = new TensorExpr.Load("counts.npy", Shape.of(2, 2), DATA);
        DflRuntimeException e = assertThrows(DflRuntimeException.class, () -> term(new LikelihoodFamily.Poisson(), counts, 3, 0, -2, 1));
        assertEquals(Code.E0308, e.code());
        assertEquals(DATA, e.span());
        assertEquals("the data of the observation at line 4 has the value -2 at element [1, 0], which is negative: a Poisson observation "
                + "is counts (whole numbers ≥ 0)", e.getMessage());
        TensorExpr.Load png = new TensorExpr.Load("photons.png", Shape.of(2), DATA);
        DflRuntimeException scaled = assertThrows(DflRuntimeException.class, () -> term(new LikelihoodFamily.Poisson(), png, 0.25, -1));
        assertTrue(scaled.getMessage().contains("is not a whole number") && scaled.getMessage().contains(".png images are read as values in [−1, 1]"),
                scaled.getMessage());
    }

    @Test
    void boundOutcomesMustBeZeroOrOne() {
        TensorExpr.Bound y = new TensorExpr.Bound("y", Shape.of(3), DATA);
        DflRuntimeException e = assertThrows(DflRuntimeException.class, () -> term(new LikelihoodFamily.Bernoulli(), y, 1, 0, 2));
        assertEquals(Code.E0308, e.code());
        assertTrue(e.getMessage().contains("the value 2 at element [2], which is neither 0 nor 1"), e.getMessage());
        // in the support: no error, and the data are kept as read
        assertEquals(3, term(new LikelihoodFamily.Bernoulli(), y, 1, 0, 1).rows());
        assertEquals(List.of(3.0, 0.0), java.util.Arrays.stream(term(new LikelihoodFamily.Poisson(), new TensorExpr.Bound("y", Shape.of(2), DATA), 3, 0)
                .observed()).boxed().toList());
    }

    @Test
    void nonFiniteDataIsOutsideEverySupport() {
        TensorExpr.Load y = new TensorExpr.Load("y.npy", Shape.of(2), DATA);
        DflRuntimeException e = assertThrows(DflRuntimeException.class, () -> term(new LikelihoodFamily.StudentT(1, 3), y, 0.5, Double.NaN));
        assertEquals(Code.E0308, e.code());
        assertTrue(e.getMessage().contains("which is not a finite number"), e.getMessage());
    }
}
