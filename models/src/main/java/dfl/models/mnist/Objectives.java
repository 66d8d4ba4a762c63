package dfl.models.mnist;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dfl.plan.Schedule;
import java.util.Random;

/** The two training objectives: DDPM ε-prediction (unconditional or with label dropout) and cross-entropy classification. */
final class Objectives {
    private Objectives() {}

    /**
     * DDPM simple loss (Ho et al. 2020): t ~ U{0..T−1}, ε ~ N(0, I),
     * x_t = √ᾱ_t x_0 + √(1−ᾱ_t) ε, loss = mean ‖ε̂(x_t, t) − ε‖². No augmentation (flips would
     * change digit identity).
     */
    static TrainLoop.Objective diffusion(UNet net, MnistIdx.Data data, Schedule schedule, int batch, long seed) {
        return diffusion(net, data, schedule, batch, seed, 0);
    }

    /**
     * The DDPM simple loss; for a conditional network ε̂(x_t, t, c) with c the digit's label, replaced by the null
     * label with probability {@code labelDropout} (classifier-free guidance training, Ho &amp; Salimans 2022), so
     * one network learns the conditional and the unconditional model.
     */
    static TrainLoop.Objective diffusion(UNet net, MnistIdx.Data data, Schedule schedule, int batch, long seed,
            double labelDropout) {
        BatchSampler sampler = new BatchSampler(data.n(), batch, seed);
        int nullLabel = net.config().conditional() ? net.config().classes() : -1;
        return new TrainLoop.Objective() {
            @Override
            public NDArray loss(ParameterStore ps, NDManager sub, long step, Random rnd) {
                DiffusionBatch d = DiffusionBatch.draw(data, sampler.indices(step), schedule, rnd, labelDropout, nullLabel);
                Shape shape = new Shape(batch, 1, 28, 28);
                NDArray eps = sub.randomNormal(shape);
                NDArray xt = d.noisy(sub, eps);
                NDList in = d.labels() == null ? new NDList(xt, sub.create(d.t()))
                        : new NDList(xt, sub.create(d.t()), sub.create(d.labels()));
                NDArray pred = net.forward(ps, in, true).singletonOrThrow();
                return pred.sub(eps).square().mean();
            }

            @Override
            public int batchSize() {
                return batch;
            }
        };
    }

    /**
     * Softmax cross-entropy with random integer shifts of ±{@code maxShift} pixels (background
     * filled with −1) and, with probability {@code noiseProb}, additive Gaussian noise of a standard
     * deviation drawn uniformly from [0, {@code noiseMax}].
     */
    static TrainLoop.Objective classifier(Classifier net, MnistIdx.Data data, int batch, long seed, int maxShift,
            double noiseProb, double noiseMax) {
        BatchSampler sampler = new BatchSampler(data.n(), batch, seed);
        return new TrainLoop.Objective() {
            @Override
            public NDArray loss(ParameterStore ps, NDManager sub, long step, Random rnd) {
                int[] idx = sampler.indices(step);
                float[] x = new float[batch * MnistIdx.PIXELS];
                float[] onehot = new float[batch * 10];
                for (int i = 0; i < batch; i++) {
                    int dx = rnd.nextInt(2 * maxShift + 1) - maxShift;
                    int dy = rnd.nextInt(2 * maxShift + 1) - maxShift;
                    shift(data.images(), idx[i] * MnistIdx.PIXELS, x, i * MnistIdx.PIXELS, dx, dy);
                    if (rnd.nextDouble() < noiseProb) {
                        double sd = rnd.nextDouble() * noiseMax;
                        for (int k = 0; k < MnistIdx.PIXELS; k++) {
                            x[i * MnistIdx.PIXELS + k] += (float) (sd * rnd.nextGaussian());
                        }
                    }
                    onehot[i * 10 + data.labels()[idx[i]]] = 1f;
                }
                NDArray logits = net.forward(ps, new NDList(sub.create(x, new Shape(batch, 1, 28, 28))), true)
                        .singletonOrThrow();
                return logits.logSoftmax(1).mul(sub.create(onehot, new Shape(batch, 10))).sum(new int[] {1})
                        .neg().mean();
            }

            @Override
            public int batchSize() {
                return batch;
            }
        };
    }

    /** Copies the images at {@code idx} into one flat array. */
    static float[] gather(MnistIdx.Data data, int[] idx) {
        float[] out = new float[idx.length * MnistIdx.PIXELS];
        for (int i = 0; i < idx.length; i++) {
            System.arraycopy(data.images(), idx[i] * MnistIdx.PIXELS, out, i * MnistIdx.PIXELS, MnistIdx.PIXELS);
        }
        return out;
    }

    /** Integer translation by (dx, dy) with −1 (background) fill. */
    static void shift(float[] src, int srcOff, float[] dst, int dstOff, int dx, int dy) {
        int side = MnistIdx.SIDE;
        for (int r = 0; r < side; r++) {
            int sr = r - dy;
            for (int c = 0; c < side; c++) {
                int sc = c - dx;
                dst[dstOff + r * side + c] = sr >= 0 && sr < side && sc >= 0 && sc < side
                        ? src[srcOff + sr * side + sc] : -1f;
            }
        }
    }
}
