package dfl.runtime.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dfl.diag.Code;
import dfl.plan.FactorRef;
import dfl.plan.ModelRef;
import dfl.plan.SamplerPlan;
import dfl.plan.Schedule;
import dfl.plan.Shape;
import dfl.plan.TensorExpr;
import dfl.runtime.DflRuntimeException;
import dfl.runtime.TestPlans;
import dfl.runtime.model.DiffusionModel;
import dfl.runtime.model.LogDensityFactor;
import dfl.runtime.model.RuntimeProvider;
import dfl.runtime.sampler.Sampling;
import dfl.source.Span;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Issue 15, items 8 and 9: a run that cannot fit is refused with the numbers, and running out of memory is E0309. */
class MemoryEstimateTest {

    private static final long HEAP = 256L << 20;
    private static final long MACHINE = 16L << 30;

    @Test
    void aRunThatCannotFitIsRefusedWithTheNumbersAndAFittingSize() {
        SamplerPlan huge = TestPlans.posterior2d(TestPlans.tds(100_000_000, 10));
        DflRuntimeException e = assertThrows(DflRuntimeException.class, () -> MemoryEstimate.of(huge).require(HEAP, MACHINE));
        assertEquals(Code.E0309, e.code());
        String m = e.getMessage();
        assertTrue(m.contains("100,000,000 particles of 2 values") && m.contains("at most 256 MB") && m.contains("use at most"), m);
        long fit = Long.parseLong(m.replaceAll(".*use at most ([0-9,]+) particles.*", "$1").replace(",", ""));
        assertTrue(fit > 100_000 && fit < 2_000_000, m);
        MemoryEstimate.of(TestPlans.posterior2d(TestPlans.tds((int) fit, 10))).require(HEAP, MACHINE);
        // the default sizes fit easily
        MemoryEstimate.of(TestPlans.posterior2d(TestPlans.tds(1024, 200))).require(HEAP, MACHINE);
    }

    @Test
    void theMachinesMemoryBoundsNativeArraysToo() {
        SamplerPlan big = TestPlans.posterior2d(TestPlans.tds(50_000_000, 10));
        DflRuntimeException e = assertThrows(DflRuntimeException.class,
                () -> MemoryEstimate.of(big).require(Long.MAX_VALUE, 1L << 30));
        assertEquals(Code.E0309, e.code());
        assertTrue(e.getMessage().contains("outside the Java heap") && e.getMessage().contains("the machine has 1.00 GB"), e.getMessage());
    }

    /** A provider whose data cannot be made: the failure {@code failure} gives. */
    private static RuntimeProvider failing(Supplier<Throwable> failure) {
        return new RuntimeProvider() {
            @Override
            public DiffusionModel diffusion(ModelRef model, Schedule schedule, Shape sampleShape, NDManager manager) {
                return RuntimeProvider.NONE.diffusion(model, schedule, sampleShape, manager);
            }

            @Override
            public LogDensityFactor factor(FactorRef factor, Shape sampleShape, NDManager manager) {
                return RuntimeProvider.NONE.factor(factor, sampleShape, manager);
            }

            @Override
            public NDArray builtin(TensorExpr.Builtin call, List<NDArray> args, boolean[] batched, NDManager manager) {
                return RuntimeProvider.NONE.builtin(call, args, batched, manager);
            }

            @Override
            public NDArray data(TensorExpr node, NDManager manager) {
                Throwable t = failure.get();
                if (t instanceof Error err) throw err;
                throw (RuntimeException) t;
            }
        };
    }

    private static SamplerPlan boundData() {
        TensorExpr y = new TensorExpr.Bound("y", Shape.of(1), Span.NONE);
        TensorExpr mean = new TensorExpr.Binary(TensorExpr.Op.MATMUL, TestPlans.matrix(TestPlans.POSTERIOR2D_A),
                new TensorExpr.Latent(Shape.of(2)), Shape.of(1));
        return TestPlans.plan(TestPlans.posterior2dPrior(), List.of(new SamplerPlan.Likelihood(y, mean, 0.3, Span.NONE)),
                TestPlans.tds(16, 5));
    }

    @Test
    void runningOutOfHeapDuringARunIsE0309NotAnError() {
        DflRuntimeException e = assertThrows(DflRuntimeException.class, () -> Sampling.run(boundData(), RunOptions.seed(1),
                failing(() -> new OutOfMemoryError("Java heap space")), StepListener.NONE));
        assertEquals(Code.E0309, e.code());
        assertTrue(e.getMessage().contains("ran out of memory (Java heap space) with 16 particles"), e.getMessage());
    }

    @Test
    void aFailedNativeAllocationIsE0309AndOtherFailuresPassThrough() {
        DflRuntimeException e = assertThrows(DflRuntimeException.class, () -> Sampling.run(boundData(), RunOptions.seed(1),
                failing(() -> new EngineException("[enforce fail at alloc_cpu.cpp:117] data. DefaultCPUAllocator: not enough "
                        + "memory: you tried to allocate 1600000000000 bytes.")), StepListener.NONE));
        assertEquals(Code.E0309, e.code());
        assertTrue(e.getMessage().contains("a native allocation failed"), e.getMessage());
        // negative control: a failure that is not about memory is not relabelled
        IllegalStateException other = new IllegalStateException("something else");
        assertSame(other, assertThrows(IllegalStateException.class,
                () -> Sampling.run(boundData(), RunOptions.seed(1), failing(() -> other), StepListener.NONE)));
    }
}
