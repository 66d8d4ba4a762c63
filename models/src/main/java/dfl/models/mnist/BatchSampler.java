package dfl.models.mnist;

import java.util.Random;

/**
 * Epoch-wise shuffled mini-batches whose content is a pure function of (seed, step), so a resumed
 * run sees exactly the batches an uninterrupted one would. The last incomplete batch of each
 * epoch is dropped.
 */
final class BatchSampler {
    private final int n;
    private final int batch;
    private final long seed;
    private final int perEpoch;
    private long cachedEpoch = -1;
    private int[] perm;

    BatchSampler(int n, int batch, long seed) {
        if (batch > n) {
            throw new IllegalArgumentException("batch " + batch + " larger than data set " + n);
        }
        this.n = n;
        this.batch = batch;
        this.seed = seed;
        this.perEpoch = n / batch;
    }

    /** @return the data indices of the batch at training step {@code step} */
    int[] indices(long step) {
        long epoch = step / perEpoch;
        int offset = (int) (step % perEpoch) * batch;
        if (epoch != cachedEpoch) {
            perm = new int[n];
            for (int i = 0; i < n; i++) {
                perm[i] = i;
            }
            Random r = new Random(Seeds.mix(seed ^ 0x5DEECE66DL, epoch));
            for (int i = n - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int tmp = perm[i];
                perm[i] = perm[j];
                perm[j] = tmp;
            }
            cachedEpoch = epoch;
        }
        int[] out = new int[batch];
        System.arraycopy(perm, offset, out, 0, batch);
        return out;
    }

    /** @return steps per epoch */
    int stepsPerEpoch() {
        return perEpoch;
    }
}
