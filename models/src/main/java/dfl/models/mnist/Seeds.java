package dfl.models.mnist;

/** Seed derivation: every training step gets seeds that depend only on (master seed, step). */
final class Seeds {
    private Seeds() {}

    /** SplitMix64 finaliser of {@code seed * golden + salt}: decorrelates neighbouring inputs. */
    static long mix(long seed, long salt) {
        long z = seed * 0x9E3779B97F4A7C15L + salt;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
