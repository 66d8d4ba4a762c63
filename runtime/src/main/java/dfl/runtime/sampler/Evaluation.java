package dfl.runtime.sampler;

/**
 * The batched quantities one step needs, copied to Java arrays: ε̂ [K·d] (null when the model was not called),
 * the per-particle guidance objective [K] (log twist, or DPS's residual norm), its gradient w.r.t. the input [K·d]
 * (null when not taken), and the linearised twist of a second-order evaluation (null otherwise).
 */
record Evaluation(double[] eps, double[] objective, double[] grad, LinearisedTwist twist) {

    Evaluation(double[] eps, double[] objective, double[] grad) {
        this(eps, objective, grad, null);
    }

    /** Particles {@code anc} of this evaluation (resampling). */
    Evaluation gather(int[] anc, int d) {
        return new Evaluation(eps == null ? null : SamplerBase.gather(eps, anc, d), SamplerBase.gather(objective, anc, 1),
                grad == null ? null : SamplerBase.gather(grad, anc, d), twist == null ? null : twist.gather(anc));
    }
}
