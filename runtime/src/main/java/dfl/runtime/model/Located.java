package dfl.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dfl.plan.Density;
import dfl.plan.Shape;
import dfl.runtime.DflRuntimeException;
import java.util.function.Supplier;

/**
 * Models and factors that place their failures in the program: a {@link DflRuntimeException} thrown while one is
 * opened or called (a file that is not TorchScript, a forward that fails or returns the wrong shape) gets the span of
 * the {@code diffusion(...)}, {@code factor(...)} or {@code classifier(...)} term it belongs to, so the diagnostic shows
 * that line of the program.
 */
public final class Located {

    private Located() {}

    /** {@code body}'s value; a failure without a place is placed at {@code span}. */
    public static <T> T at(dfl.source.Span span, Supplier<T> body) {
        try {
            return body.get();
        } catch (DflRuntimeException e) {
            throw e.locatedAt(span);
        }
    }

    /** The factor of {@code term}, opened by {@code provider} and placed at the term. */
    public static LogDensityFactor factor(Density.Factor term, Shape shape, RuntimeProvider provider, NDManager manager) {
        LogDensityFactor f = at(term.span(), () -> provider.factor(term.factor(), shape, manager));
        return new LogDensityFactor() {
            @Override
            public NDArray logDensity(NDArray x0) {
                return at(term.span(), () -> f.logDensity(x0));
            }

            @Override
            public boolean noiseConditioned() {
                return f.noiseConditioned();
            }

            @Override
            public NDArray logDensity(NDArray xt, int trainStep) {
                return at(term.span(), () -> f.logDensity(xt, trainStep));
            }

            @Override
            public DataType dataType() {
                return f.dataType();
            }

            @Override
            public void close() {
                try {
                    f.close();
                } catch (Exception e) {
                    // closing native memory must not mask the run's outcome
                }
            }
        };
    }

    /** The diffusion model of {@code term}, opened by {@code provider} and placed at the term. */
    public static DiffusionModel diffusion(Density.Diffusion term, Shape shape, RuntimeProvider provider, NDManager manager) {
        DiffusionModel m = at(term.span(), () -> provider.diffusion(term.model(), term.schedule(), shape, manager));
        return new ForwardingDiffusionModel(m) {
            @Override
            public NDArray eps(NDArray xt, int trainStep) {
                return at(term.span(), () -> m.eps(xt, trainStep));
            }

            @Override
            public NDArray score(NDArray xt, int trainStep) {
                return at(term.span(), () -> m.score(xt, trainStep));
            }

            @Override
            public NDArray energy(NDArray xt, int trainStep) {
                return at(term.span(), () -> m.energy(xt, trainStep));
            }
        };
    }
}
