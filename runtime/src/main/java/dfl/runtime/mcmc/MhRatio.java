package dfl.runtime.mcmc;

import dfl.plan.SamplerSpec;

/**
 * The log target ratio log π(x′) − log π(x) per chain for Metropolis–Hastings, from energies or from a line
 * integral of the score (Sjöberg et al. 2023). In line-integral mode only the prior part (the composition of
 * diffusion priors) is integrated; the exact part (factors, twisted likelihoods) always enters through its
 * known log-density.
 */
public final class MhRatio {

    /** How the ratio is obtained. */
    public enum Mode { NONE, ENERGY, LINE_INTEGRAL }

    private final Mode mode;
    private final Quadrature rule;

    private MhRatio(Mode mode, Quadrature rule) {
        this.mode = mode;
        this.rule = rule;
    }

    /** The correction a plan asks for. */
    public static MhRatio of(SamplerSpec.Mh mh) {
        if (mh instanceof SamplerSpec.Mh.Energy) return new MhRatio(Mode.ENERGY, null);
        if (mh instanceof SamplerSpec.Mh.LineIntegral li) {
            return new MhRatio(Mode.LINE_INTEGRAL, Quadrature.of(li.rule(), li.points()));
        }
        return new MhRatio(Mode.NONE, null);
    }

    /** Energy-based ratios. */
    public static MhRatio energy() {
        return new MhRatio(Mode.ENERGY, null);
    }

    /** Line-integral ratios with {@code points} nodes of {@code rule}. */
    public static MhRatio lineIntegral(String rule, int points) {
        return new MhRatio(Mode.LINE_INTEGRAL, Quadrature.of(rule, points));
    }

    /** No correction. */
    public static MhRatio none() {
        return new MhRatio(Mode.NONE, null);
    }

    public Mode mode() {
        return mode;
    }

    /** Whether proposals are accepted or rejected at all. */
    public boolean corrects() {
        return mode != Mode.NONE;
    }

    /** What an evaluation at a proposed end point must compute. */
    public LogTarget.Need endpointNeed() {
        return mode == Mode.ENERGY ? LogTarget.Need.SCORE_AND_ENERGY : LogTarget.Need.SCORE;
    }

    /**
     * log π(y) − log π(x) per chain along the straight segment x → y. The line integral reuses the end points'
     * scores, so n points cost n − 2 extra batched score evaluations.
     */
    public double[] straight(LogTarget target, int level, double[] x, LogTarget.Eval ex, double[] y, LogTarget.Eval ey) {
        int d = target.dimension();
        int k = x.length / d;
        double[] out = new double[k];
        switch (mode) {
            case NONE -> throw new IllegalStateException("no Metropolis–Hastings correction configured");
            case ENERGY -> {
                for (int p = 0; p < k; p++) out[p] = ey.logDensity(p) - ex.logDensity(p);
            }
            case LINE_INTEGRAL -> {
                int n = rule.points();
                addDot(out, rule.weights()[0], ex.priorScore(), x, y, d);
                addDot(out, rule.weights()[n - 1], ey.priorScore(), x, y, d);
                double[] z = new double[x.length];
                for (int j = 1; j < n - 1; j++) {
                    double u = rule.nodes()[j];
                    for (int i = 0; i < z.length; i++) z[i] = x[i] + u * (y[i] - x[i]);
                    addDot(out, rule.weights()[j], target.evaluate(z, level, LogTarget.Need.PRIOR_SCORE).priorScore(), x, y, d);
                }
                for (int p = 0; p < k; p++) out[p] += ey.exactLog()[p] - ex.exactLog()[p];
            }
        }
        return out;
    }

    /** out[p] += w · s_p · (y_p − x_p). */
    private static void addDot(double[] out, double w, double[] s, double[] x, double[] y, int d) {
        for (int p = 0; p < out.length; p++) {
            double dot = 0;
            for (int i = p * d; i < (p + 1) * d; i++) dot += s[i] * (y[i] - x[i]);
            out[p] += w * dot;
        }
    }
}
