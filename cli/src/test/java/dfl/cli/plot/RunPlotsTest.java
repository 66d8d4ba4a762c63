package dfl.cli.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dfl.cli.Main;
import dfl.plan.Shape;
import dfl.runtime.run.RunResult;
import dfl.runtime.run.StepStats;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunPlotsTest {

    private static RunResult result(String sampler, double logEvidence, boolean uneven) {
        List<StepStats> stats = new ArrayList<>();
        for (int i = 20; i >= 1; i--) {
            double ess = uneven ? 100 - 3 * (i % 7) * 10 : 100;
            stats.add(new StepStats(i, i * 50, uneven ? ess - 5 : 100, uneven && i % 7 == 0, uneven ? 60 : 100, ess,
                    uneven ? 0.01 + 0.02 * (i % 5) : 0.01, 0.0, 0.01));
        }
        float[][] samples = new float[100][2];
        double[] lw = new double[100];
        java.util.Arrays.fill(lw, -Math.log(100));
        return new RunResult(sampler, 1, 20, Shape.of(2), samples, lw, logEvidence, stats, 0.2, 20, 0.1);
    }

    @Test
    void weightedRunsGetEssAndLargestWeightPlots(@TempDir Path dir) throws Exception {
        List<Path> files = RunPlots.write(dir, result("tds", -1.3, true));
        assertEquals(List.of(dir.resolve("ess.png"), dir.resolve("max_weight.png")), files);
        for (Path f : files) {
            BufferedImage img = ImageIO.read(f.toFile());
            assertEquals(900, img.getWidth());
            assertEquals(500, img.getHeight());
        }
        try (var s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file is left behind");
        }
    }

    @Test
    void unweightedRunsWithoutAcceptanceGetNoPlots(@TempDir Path dir) throws Exception {
        assertEquals(List.of(), RunPlots.write(dir, result("reverse", Double.NaN, false)));
        assertTrue(RunPlots.weighted(result("dps", Double.NaN, true)), "uneven weights make a run weighted");
    }

    @Test
    void dflRunPlotsWritesThemBesideTheSamples(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("m.dfl"), "prior = diffusion(gmm(weights = [0.3, 0.7], means = [[-2, 0], [2, 1]], std = 0.5));\n"
                + "A = [[1.0, 0.5]];\ny = [1.2];\nobserve y ~ Normal(A @ x, 0.3);\nsample x with tds(particles = 64, steps = 20);\n");
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.executeIn(dir, new String[] {"run", "m.dfl", "--out", "o", "--plots", "--quiet"}, new PrintWriter(out, true),
                new PrintWriter(err, true));
        assertEquals(0, code, err.toString());
        assertTrue(Files.size(dir.resolve("o/ess.png")) > 1000);
        assertTrue(Files.size(dir.resolve("o/max_weight.png")) > 1000);
        assertTrue(Files.exists(dir.resolve("o/samples.npy")));
    }

    @Test
    void annealedRunsGetAnAcceptancePlot(@TempDir Path dir) throws Exception {
        List<dfl.runtime.run.LevelStats> levels = new ArrayList<>();
        for (int i = 10; i >= 1; i--) levels.add(new dfl.runtime.run.LevelStats(i, i * 100, 0.5 + 0.04 * i, 0.01, 30));
        RunResult r = result("annealed", Double.NaN, false).withLevels(levels);
        assertEquals(List.of(dir.resolve("acceptance.png")), RunPlots.write(dir, r));
        assertEquals(10, RunPlots.acceptance(r).get().length);
        assertEquals(0.9, RunPlots.acceptance(r).get()[0], 1e-12);
    }
}
