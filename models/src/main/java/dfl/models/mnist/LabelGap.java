package dfl.models.mnist;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dfl.plan.Schedule;
import java.util.Arrays;
import java.util.Locale;
import java.util.Properties;
import java.util.Random;

/**
 * A cheap training signal for a class-conditional network, with no sampler: the ε-prediction loss on held-out
 * digits given their true label, the null label, and a wrong label ({@code (k+1) mod classes}), on one fixed set
 * of (x_0, t, ε). A network that uses the label has loss(true) &lt; loss(null) &lt; loss(wrong); at the warm start
 * (zero label embedding) the three are equal. The first {@code perLabel} digits of each label are used, with t
 * stratified over {0..T−1} (t_j = (j + ½)·T/perLabel) and ε from a seeded Java RNG, so every call measures the
 * same problem and differences between checkpoints are paired.
 *
 * <p>The ε loss averages over all t, and at small t the label adds nothing that x_t does not show, so its gap is
 * small. The same predictions are therefore also reported by quarter of the t range ({@value #BANDS} bands), which
 * shows where the label is used.
 */
final class LabelGap {
    /** Number of equal bands of t in the per-band report. */
    static final int BANDS = 4;
    private final int classes;
    private final int perLabel;
    private final int trainSteps;
    private final float[] eps;
    private final DiffusionBatch batch;

    /**
     * Per-label mean ε losses with the true, null and wrong label, and per band of t the mean ε losses over all labels
     * ({@code bands[b][0..2]}: true, null, wrong), band b holding t in [b·T/n, (b+1)·T/n) for T = {@code trainSteps}.
     */
    record Result(double[] trueLabel, double[] nullLabel, double[] wrongLabel, double[][] bands, int trainSteps) {
        double meanTrue() {
            return Arrays.stream(trueLabel).average().orElse(Double.NaN);
        }

        double meanNull() {
            return Arrays.stream(nullLabel).average().orElse(Double.NaN);
        }

        double meanWrong() {
            return Arrays.stream(wrongLabel).average().orElse(Double.NaN);
        }

        /** One log line: the three means and the per-label gap null − true. */
        String describe() {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                    "held-out eps MSE: true label %.5f, null label %.5f, wrong label %.5f; gap null-true per label",
                    meanTrue(), meanNull(), meanWrong()));
            for (int k = 0; k < trueLabel.length; k++) {
                sb.append(String.format(Locale.ROOT, " %d:%+.5f", k, nullLabel[k] - trueLabel[k]));
            }
            sb.append("; by t band true/null/wrong");
            for (int b = 0; b < bands.length; b++) {
                sb.append(String.format(Locale.ROOT, " %s: %.5f/%.5f/%.5f", band(b), bands[b][0], bands[b][1], bands[b][2]));
            }
            return sb.toString();
        }

        /** The t range of band {@code b}, e.g. {@code 250-499}. */
        private String band(int b) {
            int width = trainSteps / bands.length;
            return (b * width) + "-" + ((b + 1) * width - 1);
        }

        /** Writes {@code eval.*} properties. */
        void store(Properties p, int perLabel) {
            p.setProperty("eval.heldout", "first " + perLabel + " test-split digits of each label, t stratified, fixed eps");
            p.setProperty("eval.loss_true_label", String.format(Locale.ROOT, "%.5f", meanTrue()));
            p.setProperty("eval.loss_null_label", String.format(Locale.ROOT, "%.5f", meanNull()));
            p.setProperty("eval.loss_wrong_label", String.format(Locale.ROOT, "%.5f", meanWrong()));
            StringBuilder gap = new StringBuilder();
            for (int k = 0; k < trueLabel.length; k++) {
                gap.append(k == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.5f", nullLabel[k] - trueLabel[k]));
            }
            p.setProperty("eval.gap_null_minus_true", gap.toString());
            for (int b = 0; b < bands.length; b++) {
                p.setProperty("eval.loss_t" + band(b) + "_true_null_wrong", String.format(Locale.ROOT, "%.5f,%.5f,%.5f",
                        bands[b][0], bands[b][1], bands[b][2]));
            }
        }
    }

    /**
     * @param heldOut digits the network did not train on (the test split)
     * @param classes number of labels (the null label is {@code classes})
     * @param perLabel digits per label
     * @param seed seed of ε
     */
    LabelGap(MnistIdx.Data heldOut, Schedule schedule, int classes, int perLabel, long seed) {
        if (perLabel < BANDS) {
            throw new IllegalArgumentException("need at least " + BANDS + " digits per label, one per band of t");
        }
        this.classes = classes;
        this.perLabel = perLabel;
        this.trainSteps = schedule.trainSteps();
        int n = classes * perLabel;
        int[] idx = new int[n];
        int[] seen = new int[classes];
        int filled = 0;
        for (int i = 0; i < heldOut.n() && filled < n; i++) {
            int k = heldOut.labels()[i];
            if (k < classes && seen[k] < perLabel) {
                idx[k * perLabel + seen[k]++] = i;
                filled++;
            }
        }
        if (filled < n) {
            throw new IllegalArgumentException("held-out data has fewer than " + perLabel + " digits of some label: "
                    + Arrays.toString(seen));
        }
        float[] t = new float[n];
        double[] ab = schedule.alphaBars();
        float[] sa = new float[n];
        float[] s1a = new float[n];
        for (int i = 0; i < n; i++) {
            int ti = (int) ((i % perLabel + 0.5) * schedule.trainSteps() / perLabel);
            t[i] = ti;
            sa[i] = (float) Math.sqrt(ab[ti]);
            s1a[i] = (float) Math.sqrt(1 - ab[ti]);
        }
        Random r = new Random(seed);
        eps = new float[n * MnistIdx.PIXELS];
        for (int i = 0; i < eps.length; i++) {
            eps[i] = (float) r.nextGaussian();
        }
        // digits k·perLabel .. (k+1)·perLabel−1 have label k; measure() sets the labels of each pass
        batch = new DiffusionBatch(Objectives.gather(heldOut, idx), t, sa, s1a, null);
    }

    /** Measures a conditional network (usually the EMA weights), in chunks of one label's digits. */
    Result measure(UNet net, NDManager manager) {
        double[][] out = new double[3][classes];
        double[][] band = new double[BANDS][3];
        int[] inBand = new int[BANDS];
        ParameterStore ps = new ParameterStore(manager, false);
        try (NDManager sub = manager.newSubManager()) {
            NDArray e = sub.create(eps, new Shape(classes * (long) perLabel, 1, 28, 28));
            NDArray xt = batch.noisy(sub, e);
            NDArray tt = sub.create(batch.t());
            for (int k = 0; k < classes; k++) {
                long from = (long) k * perLabel;
                String rows = from + ":" + (from + perLabel);
                int[][] conds = {new int[perLabel], new int[perLabel], new int[perLabel]};
                Arrays.fill(conds[0], k);
                Arrays.fill(conds[1], classes);
                Arrays.fill(conds[2], (k + 1) % classes);
                for (int c = 0; c < 3; c++) {
                    try (NDManager step = sub.newSubManager()) {
                        NDArray pred = net.forward(ps, new NDList(xt.get(rows), tt.get(rows), step.create(conds[c])), false)
                                .singletonOrThrow();
                        float[] err = pred.sub(e.get(rows)).square().reshape(perLabel, -1).mean(new int[] {1}).toFloatArray();
                        for (int j = 0; j < perLabel; j++) {
                            int i = k * perLabel + j;
                            out[c][k] += err[j] / perLabel;
                            int b = (int) batch.t()[i] * BANDS / trainSteps;
                            band[b][c] += err[j];
                            inBand[b] += c == 0 ? 1 : 0;
                        }
                    }
                }
            }
        }
        for (int b = 0; b < BANDS; b++) {
            for (int c = 0; c < 3; c++) {
                band[b][c] /= inBand[b];
            }
        }
        return new Result(out[0], out[1], out[2], band, trainSteps);
    }
}
