package dfl.runtime.mcmc;

/**
 * Counts batched evaluations (one per call, whatever K) and the time inside them, so each level can report its
 * score-evaluation cost and the run its network_seconds. Every kernel evaluates through this wrapper.
 */
public final class CountingTarget implements LogTarget {

    private final LogTarget inner;
    private long calls;
    private long nanos;

    /** Wraps {@code inner}. */
    public CountingTarget(LogTarget inner) {
        this.inner = inner;
    }

    /** Seconds spent inside evaluations so far. */
    public double seconds() {
        return nanos * 1e-9;
    }

    /** Batched evaluations so far. */
    public long calls() {
        return calls;
    }

    @Override
    public int dimension() {
        return inner.dimension();
    }

    @Override
    public dfl.plan.Shape shape() {
        return inner.shape();
    }

    @Override
    public int levels() {
        return inner.levels();
    }

    @Override
    public double beta(int level) {
        return inner.beta(level);
    }

    @Override
    public double alphaBar(int level) {
        return inner.alphaBar(level);
    }

    @Override
    public int trainStep(int level) {
        return inner.trainStep(level);
    }

    @Override
    public boolean priorHasEnergy() {
        return inner.priorHasEnergy();
    }

    @Override
    public boolean hasExactPart() {
        return inner.hasExactPart();
    }

    @Override
    public Eval evaluate(double[] x, int level, Need need) {
        calls++;
        long t0 = System.nanoTime();
        try {
            return inner.evaluate(x, level, need);
        } finally {
            nanos += System.nanoTime() - t0;
        }
    }
}
