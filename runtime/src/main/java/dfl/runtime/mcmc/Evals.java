package dfl.runtime.mcmc;

/** Per-chain selection between two evaluations (after accept/reject) and row gathering (after resampling). */
public final class Evals {

    private Evals() {}

    /** Rows of {@code b} where {@code takeB[p]}, else rows of {@code a}; keeps score/priorScore aliasing. */
    public static LogTarget.Eval select(LogTarget.Eval a, LogTarget.Eval b, boolean[] takeB, int d) {
        double[] score = select(a.score(), b.score(), takeB, d);
        boolean alias = a.score() == a.priorScore() && b.score() == b.priorScore();
        double[] prior = alias ? score : select(a.priorScore(), b.priorScore(), takeB, d);
        return new LogTarget.Eval(score, prior, select(a.exactLog(), b.exactLog(), takeB, 1),
                select(a.priorLog(), b.priorLog(), takeB, 1));
    }

    /** Rows (of {@code width} entries) of b where takeB, else of a; null if either is null. */
    public static double[] select(double[] a, double[] b, boolean[] takeB, int width) {
        if (a == null || b == null) return null;
        double[] out = a.clone();
        for (int p = 0; p < takeB.length; p++) {
            if (takeB[p]) System.arraycopy(b, p * width, out, p * width, width);
        }
        return out;
    }

    /** The evaluation's rows reordered by ancestor indices. */
    public static LogTarget.Eval gather(LogTarget.Eval e, int[] anc, int d) {
        double[] score = gather(e.score(), anc, d);
        double[] prior = e.score() == e.priorScore() ? score : gather(e.priorScore(), anc, d);
        return new LogTarget.Eval(score, prior, gather(e.exactLog(), anc, 1), gather(e.priorLog(), anc, 1));
    }

    /** Rows of {@code a} reordered by ancestor indices. */
    public static double[] gather(double[] a, int[] anc, int width) {
        if (a == null) return null;
        double[] out = new double[anc.length * width];
        for (int p = 0; p < anc.length; p++) System.arraycopy(a, anc[p] * width, out, p * width, width);
        return out;
    }
}
