package dfl.runtime.mcmc;

/**
 * The state of K chains: positions x [K·d], the target's evaluation at x for the current level (reused by the
 * next step, so a kernel step costs only its new points), and momenta v [K·d] for the Hamiltonian kernels
 * (persisting across steps and levels for partial refresh; zero until first used).
 */
public final class ChainState {

    /** Number of chains K. */
    public final int k;
    /** Dimension d. */
    public final int d;
    /** Positions, particle-major. */
    public double[] x;
    /** Evaluation at {@link #x} for the current level. */
    public LogTarget.Eval eval;
    /** Momenta, particle-major. */
    public double[] v;

    /** K chains of dimension d at {@code x} with evaluation {@code eval}. */
    public ChainState(int k, int d, double[] x, LogTarget.Eval eval) {
        this.k = k;
        this.d = d;
        this.x = x;
        this.eval = eval;
        this.v = new double[k * d];
    }
}
