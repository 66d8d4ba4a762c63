package dfl.models.mnist;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dfl.plan.Schedule;
import java.util.Random;

/**
 * The Java-side draws of one ε-prediction training batch: clean digits, steps t ~ U{0..T−1} with √ᾱ_t and
 * √(1−ᾱ_t), and for a conditional network the labels after dropout. The noise ε is drawn by the engine.
 *
 * @param x0 clean digits, flat [B·784]
 * @param t steps [B]
 * @param sa √ᾱ_t [B]
 * @param s1a √(1−ᾱ_t) [B]
 * @param labels labels [B], the null label where dropped; null for an unconditional network
 */
record DiffusionBatch(float[] x0, float[] t, float[] sa, float[] s1a, int[] labels) {

    /**
     * Draws a batch from {@code rnd}: first every t, then (conditional only) one dropout draw per digit, so an
     * unconditional batch is drawn exactly as before conditional training existed.
     *
     * @param idx the digits of the batch
     * @param labelDropout probability of replacing a label by {@code nullLabel}
     * @param nullLabel the null label; negative for an unconditional network (no labels)
     */
    static DiffusionBatch draw(MnistIdx.Data data, int[] idx, Schedule schedule, Random rnd, double labelDropout,
            int nullLabel) {
        int b = idx.length;
        double[] ab = schedule.alphaBars();
        float[] t = new float[b];
        float[] sa = new float[b];
        float[] s1a = new float[b];
        for (int i = 0; i < b; i++) {
            int ti = rnd.nextInt(schedule.trainSteps());
            t[i] = ti;
            sa[i] = (float) Math.sqrt(ab[ti]);
            s1a[i] = (float) Math.sqrt(1 - ab[ti]);
        }
        int[] labels = null;
        if (nullLabel >= 0) {
            labels = new int[b];
            for (int i = 0; i < b; i++) {
                labels[i] = rnd.nextDouble() < labelDropout ? nullLabel : data.labels()[idx[i]];
            }
        }
        return new DiffusionBatch(Objectives.gather(data, idx), t, sa, s1a, labels);
    }

    /** x_t = √ᾱ_t x_0 + √(1−ᾱ_t) ε for the given noise {@code eps} [B,1,28,28]. */
    NDArray noisy(NDManager m, NDArray eps) {
        int b = t.length;
        Shape col = new Shape(b, 1, 1, 1);
        return m.create(x0, new Shape(b, 1, 28, 28)).mul(m.create(sa, col)).add(eps.mul(m.create(s1a, col)));
    }
}
