package dfl.models.mnist;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Ancestral DDPM sampling (Ho et al. 2020, Alg. 2) on a respaced subsequence of the training
 * steps (Nichol and Dhariwal 2021): for kept steps τ_S > … > τ_1, β′ = 1 − ᾱ_τi/ᾱ_τ(i−1), the
 * Tweedie estimate x̂_0 = (x − √(1−ᾱ) ε̂)/√ᾱ clipped to [−1, 1], and the Gaussian posterior
 * q(x_prev | x_t, x̂_0) with variance β̃ = β′(1−ᾱ_prev)/(1−ᾱ). The last step returns x̂_0's
 * posterior mean without noise. For quick visual checks of the shipped model; the runtime has its
 * own samplers.
 */
public final class AncestralSampler {
    private final MnistDiffusion model;
    private final int[] taus;
    private final double[] ab;

    /**
     * @param model the diffusion model
     * @param steps number of sampling steps (1..T); T gives the full ancestral chain
     */
    public AncestralSampler(MnistDiffusion model, int steps) {
        this.model = model;
        int big = model.schedule().steps();
        if (steps < 1 || steps > big) {
            throw new IllegalArgumentException("steps must be in 1.." + big + ", got " + steps);
        }
        this.ab = model.schedule().alphaBars();
        this.taus = new int[steps];
        for (int i = 0; i < steps; i++) {
            taus[i] = steps == 1 ? big - 1 : (int) Math.round(i * (big - 1) / (double) (steps - 1));
        }
    }

    /** @return the kept training steps, increasing */
    public int[] timesteps() {
        return taus.clone();
    }

    /**
     * Draws {@code n} samples.
     *
     * @param manager receives the result
     * @param n batch size
     * @param seed seeds the engine RNG (the result is a function of seed and n)
     * @return samples [n,1,28,28] in [-1, 1] (approximately: the last mean is not clipped)
     */
    public NDArray sample(NDManager manager, int n, long seed) {
        Engine.getInstance().setRandomSeed((int) (seed ^ (seed >>> 32)));
        Shape shape = new Shape(n, 1, 28, 28);
        NDArray x = manager.randomNormal(shape);
        for (int i = taus.length - 1; i >= 0; i--) {
            int t = taus[i];
            double abT = ab[t];
            double abPrev = i == 0 ? 1.0 : ab[taus[i - 1]];
            double betaP = 1 - abT / abPrev;
            try (NDManager sub = manager.newSubManager()) {
                NDArray xs = x.duplicate();
                xs.attach(sub);
                float[] tt = new float[n];
                java.util.Arrays.fill(tt, t);
                NDArray eps = model.epsilon(xs, sub.create(tt));
                NDArray x0 = xs.sub(eps.mul((float) Math.sqrt(1 - abT))).div((float) Math.sqrt(abT)).clip(-1f, 1f);
                float c0 = (float) (Math.sqrt(abPrev) * betaP / (1 - abT));
                float ct = (float) (Math.sqrt(1 - betaP) * (1 - abPrev) / (1 - abT));
                NDArray next = x0.mul(c0).add(xs.mul(ct));
                if (i > 0) {
                    double var = betaP * (1 - abPrev) / (1 - abT);
                    next = next.add(sub.randomNormal(shape).mul((float) Math.sqrt(var)));
                }
                next.attach(manager);
                x.close();
                x = next;
            }
        }
        return x;
    }
}
