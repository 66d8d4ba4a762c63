package dfl.runtime.sampler;

/**
 * The batched quantities one step needs, copied to Java arrays: ε̂ [K·d] (null when the model was not called),
 * the per-particle guidance objective [K] (log twist, or DPS's residual norm) and its gradient w.r.t. the
 * input [K·d] (null when not taken).
 */
record Evaluation(double[] eps, double[] objective, double[] grad) {}
