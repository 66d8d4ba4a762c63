package dfl.models.mnist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dfl.plan.Schedule;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Label dropout of the conditional objective and the settings of {@code Train diffusion --conditional}. */
class ConditionalTrainingTest {
    private static final int STEPS = 400;
    private static final int BATCH = 64;

    /** Null labels among STEPS batches drawn as the training loop draws them (Random seeded from (seed, step)). */
    private static int nullCount(MnistIdx.Data data, double p, long seed) {
        BatchSampler sampler = new BatchSampler(data.n(), BATCH, seed);
        int nulls = 0;
        for (long step = 0; step < STEPS; step++) {
            int[] idx = sampler.indices(step);
            DiffusionBatch d = DiffusionBatch.draw(data, idx, Schedule.DEFAULT, new Random(Seeds.mix(seed, step)), p, 10);
            for (int i = 0; i < BATCH; i++) {
                if (d.labels()[i] == 10) {
                    nulls++;
                } else {
                    assertEquals(data.labels()[idx[i]], d.labels()[i], "a kept label is the digit's own");
                }
            }
        }
        return nulls;
    }

    @Test
    void labelDropoutReplacesTenPercentOfTheLabelsByTheNullLabel() throws IOException {
        MnistIdx.Data data = MnistIdx.load(TestData.dir(), MnistIdx.Split.TRAIN);
        int n = STEPS * BATCH;
        double se = Math.sqrt(n * 0.1 * 0.9); // binomial s.e. of the count: 48 of 25,600
        int nulls = nullCount(data, 0.1, 2);
        assertEquals(0.1 * n, nulls, 4 * se, "null labels " + nulls + " of " + n);
        assertEquals(nulls, nullCount(data, 0.1, 2), "same seed, same labels");
        assertEquals(0, nullCount(data, 0.0, 2));
        // control: a 15% rate is outside the tolerance of the 10% check
        assertTrue(Math.abs(nullCount(data, 0.15, 2) - 0.1 * n) > 4 * se);
    }

    @Test
    void conditionalBatchesDrawTheSameStepsAsUnconditionalOnes() throws IOException {
        MnistIdx.Data data = MnistIdx.load(TestData.dir(), MnistIdx.Split.TEST);
        int[] idx = new BatchSampler(data.n(), BATCH, 3).indices(5);
        DiffusionBatch u = DiffusionBatch.draw(data, idx, Schedule.DEFAULT, new Random(7), 0.1, -1);
        DiffusionBatch c = DiffusionBatch.draw(data, idx, Schedule.DEFAULT, new Random(7), 0.1, 10);
        assertNull(u.labels());
        assertArrayEquals(u.t(), c.t(), 0f);
        assertArrayEquals(u.x0(), c.x0(), 0f);
        assertEquals(BATCH, c.labels().length);
    }

    @Test
    void conditionalSettingsHaveFineTuningDefaultsAndAreChecked() {
        Train.Args a = parse("diffusion", new String[] {"--conditional", "--data", "d", "--out", "o"});
        assertTrue(a.conditional());
        assertEquals(0.1, a.labelDropout());
        assertEquals("shipped", a.warmStart());
        assertEquals(2e-4f, a.lr());
        assertEquals(200, a.warmup());
        assertEquals(20f, a.labelLrScale());
        assertEquals(Path.of("training", "checkpoints", "diffusion-cond"), a.ckpt());
        Train.Args scratch = parse("diffusion", new String[] {"--conditional", "--warm-start", "none",
            "--label-dropout", "0.2", "--data", "d", "--out", "o"});
        assertEquals(5e-4f, scratch.lr());
        assertEquals(0.2, scratch.labelDropout());
        assertEquals(1f, scratch.labelLrScale());
        Train.Args plain = parse("diffusion", new String[] {"--data", "d", "--out", "o"});
        assertFalse(plain.conditional());
        assertEquals(5e-4f, plain.lr());
        assertEquals(500, plain.warmup());
        assertEquals(Path.of("training", "checkpoints", "diffusion"), plain.ckpt());
        assertEquals(1e-3f, parse("classifier", new String[] {"--data", "d", "--out", "o"}).lr());
        assertThrows(IllegalArgumentException.class,
                () -> parse("classifier", new String[] {"--conditional", "--data", "d", "--out", "o"}));
        assertThrows(IllegalArgumentException.class,
                () -> parse("diffusion", new String[] {"--conditional", "--label-dropout", "1", "--data", "d", "--out", "o"}));
    }

    /** The command line's picocli options (those of the standalone entry and {@code dfl train}) as checked settings. */
    @Command
    static final class Options {
        @Mixin TrainOptions train;
        @Mixin TrainOptions.ConditionalOptions conditional;
    }

    private static Train.Args parse(String what, String[] argv) {
        Options o = new Options();
        new CommandLine(o).parseArgs(argv);
        return o.conditional.apply(o.train.builder(what)).build();
    }
}
