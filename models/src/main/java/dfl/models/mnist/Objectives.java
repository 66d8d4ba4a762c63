package dfl.models.mnist;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dfl.plan.Schedule;
import java.util.Random;

/** The two training objectives: DDPM ε-prediction and cross-entropy classification. */
final class Objectives {
    private Objectives() {}

    /**
     * DDPM simple loss (Ho et al. 2020): t ~ U{0..T−1}, ε ~ N(0, I),
     * x_t = √ᾱ_t x_0 + √(1−ᾱ_t) ε, loss = mean ‖ε̂(x_t, t) − ε‖². No augmentation (flips would
     * change digit identity).
     */
    static TrainLoop.Objective diffusion(UNet net, MnistIdx.Data data, Schedule schedule, int batch, long seed) {
        BatchSampler sampler = new BatchSampler(data.n(), batch, seed);
        double[] ab = schedule.alphaBars();
        return new TrainLoop.Objective() {
            @Override
            public NDArray loss(ParameterStore ps, NDManager sub, long step, Random rnd) {
                int[] idx = sampler.indices(step);
                float[] x0 = gather(data, idx);
                float[] t = new float[batch];
                float[] sa = new float[batch];
                float[] s1a = new float[batch];
                for (int i = 0; i < batch; i++) {
                    int ti = rnd.nextInt(schedule.trainSteps());
                    t[i] = ti;
                    sa[i] = (float) Math.sqrt(ab[ti]);
                    s1a[i] = (float) Math.sqrt(1 - ab[ti]);
                }
                Shape shape = new Shape(batch, 1, 28, 28);
                NDArray x = sub.create(x0, shape);
                NDArray eps = sub.randomNormal(shape);
                NDArray xt = x.mul(sub.create(sa, new Shape(batch, 1, 1, 1)))
                        .add(eps.mul(sub.create(s1a, new Shape(batch, 1, 1, 1))));
                NDArray pred = net.forward(ps, new NDList(xt, sub.create(t)), true).singletonOrThrow();
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
