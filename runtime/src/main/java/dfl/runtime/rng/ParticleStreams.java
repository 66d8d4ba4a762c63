package dfl.runtime.rng;

import java.util.SplittableRandom;

/**
 * All randomness of a run from one seed: a stream per particle (split from the master in a fixed order)
 * plus one stream for resampling. Noise is drawn in Java, not by torch's global RNG, so the output depends
 * only on the seed, never on thread count or on what else used torch. Several observations sampled in one batch
 * ({@link #ParticleStreams(long[], int)}) each get the streams their own seed gives, so each population draws exactly
 * what a run of its observation alone would.
 */
public final class ParticleStreams {

    private final SplittableRandom[] particles;
    private final SplittableRandom[] resampling;

    /** {@code k} particle streams and a resampling stream derived from {@code seed}. */
    public ParticleStreams(long seed, int k) {
        this(new long[] {seed}, k);
    }

    /**
     * For B = {@code seeds.length} populations of {@code k} particles each (particle slots b·k … (b+1)·k − 1): population
     * b's particle and resampling streams are those of {@code new ParticleStreams(seeds[b], k)}.
     */
    public ParticleStreams(long[] seeds, int k) {
        particles = new SplittableRandom[seeds.length * k];
        resampling = new SplittableRandom[seeds.length];
        for (int b = 0; b < seeds.length; b++) {
            SplittableRandom master = new SplittableRandom(seeds[b]);
            resampling[b] = master.split();
            for (int i = 0; i < k; i++) particles[b * k + i] = master.split();
        }
    }

    /** The stream of particle slot {@code i}. */
    public SplittableRandom particle(int i) {
        return particles[i];
    }

    /** The stream used for resampling decisions (the first population's). */
    public SplittableRandom resampling() {
        return resampling[0];
    }

    /**
     * The resampling stream of population {@code b}: its own when the populations have their own seeds, else the one
     * stream of the seed, shared in turn ({@code tds(runs = R)} of one observation).
     */
    public SplittableRandom resampling(int b) {
        return resampling.length == 1 ? resampling[0] : resampling[b];
    }

    /** Fills {@code out[i*d .. (i+1)*d)} with standard normals from particle i's stream, for every particle. */
    public void fillNormal(double[] out, int d) {
        for (int i = 0; i < particles.length; i++) {
            SplittableRandom r = particles[i];
            int base = i * d;
            for (int j = 0; j < d; j += 2) {
                double[] pair = gaussianPair(r);
                out[base + j] = pair[0];
                if (j + 1 < d) out[base + j + 1] = pair[1];
            }
        }
    }

    /**
     * Two independent standard normals by Box–Muller with StrictMath: Math.log/cos/sin may differ in the last bit
     * between the interpreter and JIT-compiled code, which would make runs irreproducible.
     */
    static double[] gaussianPair(SplittableRandom r) {
        double u1 = 1.0 - r.nextDouble(); // (0, 1]
        double u2 = r.nextDouble();
        double rad = Math.sqrt(-2.0 * StrictMath.log(u1));
        double a = 2 * Math.PI * u2;
        return new double[] {rad * StrictMath.cos(a), rad * StrictMath.sin(a)};
    }
}
