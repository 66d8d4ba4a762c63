package dfl.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dfl.runtime.output.Npy;
import dfl.stdlib.runtime.DataArrays;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dfl summary against NumPy-style weighted statistics of the written files, and --data files bound to names. */
class SummaryAndDataTest {

    static final String MODEL = "prior = diffusion(gmm(weights = [0.3, 0.7], means = [[-2, 0], [2, 1]], std = 0.5));\n"
            + "A = [[1.0, 0.5]];\ny = [1.2];\nobserve y ~ Normal(A @ x, 0.3);\nsample x with tds(particles = 64, steps = 20);\n";

    /**
     * The CSV's numbers are the weighted statistics of samples.npy and log_weights.npy computed here from the files
     * (NumPy's definitions: average, sqrt of the weighted mean squared deviation, inverted-CDF quantiles, Kish ESS).
     */
    @Test
    void summaryMatchesWeightedStatisticsOfTheFiles(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("m.dfl"), MODEL);
        assertEquals(0, CliTest.dfl(dir, "run", "m.dfl", "--seed", "4", "--quiet", "--out", "o").code());
        double[] s = DataArrays.read(dir.resolve("o/samples.npy")).values();
        double[] lw = DataArrays.read(dir.resolve("o/log_weights.npy")).values();
        int n = lw.length;
        double[] w = Arrays.stream(lw).map(Math::exp).toArray();
        double total = Arrays.stream(w).sum();
        for (int i = 0; i < n; i++) w[i] /= total;
        assertTrue(Arrays.stream(w).max().orElseThrow() > 1.5 / n, "a weighted population, so the weights matter");

        CliTest.Outcome csv = CliTest.dfl(dir, "summary", "--csv", "o");
        assertEquals(0, csv.code(), csv.err());
        List<String> lines = csv.out().lines().toList();
        assertEquals("name,Mean,MCSE,StdDev,5%,50%,95%,ESS", lines.get(0));
        assertEquals(3, lines.size());
        double ess = 1 / Arrays.stream(w).map(v -> v * v).sum();
        for (int j = 0; j < 2; j++) {
            double[] x = new double[n];
            for (int i = 0; i < n; i++) x[i] = s[2 * i + j];
            double mean = 0, var = 0;
            for (int i = 0; i < n; i++) mean += w[i] * x[i];
            for (int i = 0; i < n; i++) var += w[i] * (x[i] - mean) * (x[i] - mean);
            String[] row = lines.get(j + 1).split(",");
            assertEquals("x[" + (j + 1) + "]", row[0]);
            double[] got = Arrays.stream(row).skip(1).mapToDouble(Double::parseDouble).toArray();
            assertEquals(mean, got[0], 1e-12);
            assertEquals(Math.sqrt(var / ess), got[1], 1e-12);
            assertEquals(Math.sqrt(var), got[2], 1e-12);
            assertEquals(quantile(x, w, 0.05), got[3], 0.0);
            assertEquals(quantile(x, w, 0.5), got[4], 0.0);
            assertEquals(quantile(x, w, 0.95), got[5], 0.0);
            assertEquals(ess, got[6], 1e-9);
        }

        CliTest.Outcome text = CliTest.dfl(dir, "summary", "o");
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().contains("tds, 64 samples of shape [2], 20 steps, seed 4"), text.out());
        assertTrue(text.out().matches("(?s).*\\n +Mean +MCSE +StdDev +5% +50% +95% +ESS\\nx\\[1\\] .*"), text.out());
        assertTrue(text.out().contains("log Ẑ = "), text.out());

        // two runs pooled: the evidence line gives the runs' spread
        assertEquals(0, CliTest.dfl(dir, "run", "m.dfl", "--seed", "5", "--quiet", "--out", "p").code());
        CliTest.Outcome two = CliTest.dfl(dir, "summary", "o", "p");
        assertTrue(two.out().contains("(log of the mean Ẑ of 2 runs; per run: s.d. "), two.out());
        assertEquals(64, CliTest.dfl(dir, "summary", "m.dfl").code());
    }

    @Test
    void evidenceOfSeveralRunsIsTheLogOfTheirMean() {
        String line = SummaryCommand.evidence(List.of(Math.log(1.0), Math.log(3.0)));
        assertTrue(line.startsWith(String.format(java.util.Locale.ROOT, "log Ẑ = %.4f (log of the mean Ẑ of 2 runs; per run: s.d. %.4f",
                Math.log(2.0), Math.log(3.0) / Math.sqrt(2))), line);
    }

    /** --data binds .npy, .csv and .png files: the run equals the one with the same values written in the program. */
    @Test
    void dataFilesBindToNames(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("m.dfl"), MODEL);
        Files.writeString(dir.resolve("same.dfl"), MODEL.replace("y = [1.2];", "y = [0.5];"));
        assertEquals(0, CliTest.dfl(dir, "run", "same.dfl", "--quiet", "--out", "literal").code());
        Npy.writeFloat64(dir.resolve("y.npy"), new long[] {1}, new double[] {0.5});
        Files.writeString(dir.resolve("y.csv"), "0.5\n");
        for (String file : List.of("y.npy", "y.csv")) {
            CliTest.Outcome o = CliTest.dfl(dir, "run", "m.dfl", "--quiet", "--data", "y=" + file, "--out", "from-" + file);
            assertEquals(0, o.code(), o.err());
            assertArrayEquals(Files.readAllBytes(dir.resolve("literal/samples.npy")), Files.readAllBytes(dir.resolve("from-" + file + "/samples.npy")),
                    file + " gives the samples of y = [0.5]");
            JsonObject summary = JsonParser.parseString(Files.readString(dir.resolve("from-" + file + "/summary.json"))).getAsJsonObject();
            assertEquals(dir.resolve(file).toAbsolutePath().toString(), summary.getAsJsonObject("overrides").getAsJsonObject("data").get("y").getAsString());
        }
        assertFalse(Arrays.equals(Files.readAllBytes(dir.resolve("literal/samples.npy")), runWithY(dir, 1.2)),
                "negative control: another value, other samples");

        // an image keeps its [height, width]: a 1-pixel PNG fits y = [.], a 2×1 one does not
        BufferedImage one = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        one.setRGB(0, 0, 0xffffff);
        ImageIO.write(one, "png", dir.resolve("one.png").toFile());
        assertEquals(0, CliTest.dfl(dir, "run", "m.dfl", "--quiet", "--data", "y=one.png", "--out", "png").code());

        CliTest.Outcome unknown = CliTest.dfl(dir, "run", "m.dfl", "--quiet", "--data", "z=y.npy");
        assertEquals(65, unknown.code());
        assertTrue(unknown.err().contains("[DFL-E0321]") && unknown.err().contains("--data z=y.npy"), unknown.err());
        CliTest.Outcome missing = CliTest.dfl(dir, "run", "m.dfl", "--quiet", "--data", "y=none.npy");
        assertEquals(65, missing.code());
        assertTrue(missing.err().contains("[DFL-E0301]"), missing.err());
        Npy.writeFloat64(dir.resolve("two.npy"), new long[] {2}, new double[] {0.5, 0.6});
        CliTest.Outcome wrongSize = CliTest.dfl(dir, "run", "m.dfl", "--quiet", "--data", "y=two.npy");
        assertEquals(65, wrongSize.code());
        assertTrue(wrongSize.err().contains("[DFL-E0321]"), wrongSize.err());
    }

    private static byte[] runWithY(Path dir, double y) throws Exception {
        Npy.writeFloat64(dir.resolve("other.npy"), new long[] {1}, new double[] {y});
        assertEquals(0, CliTest.dfl(dir, "run", "m.dfl", "--quiet", "--data", "y=other.npy", "--out", "other").code());
        return Files.readAllBytes(dir.resolve("other/samples.npy"));
    }

    /** np.quantile(x, q, weights=w, method="inverted_cdf"). */
    private static double quantile(double[] x, double[] w, double q) {
        Integer[] idx = new Integer[x.length];
        for (int i = 0; i < idx.length; i++) idx[i] = i;
        Arrays.sort(idx, (a, b) -> Double.compare(x[a], x[b]));
        double[] cdf = new double[x.length];
        double c = 0;
        for (int i = 0; i < x.length; i++) cdf[i] = c += w[idx[i]];
        for (int i = 0; i < x.length; i++) if (cdf[i] / cdf[x.length - 1] >= q) return x[idx[i]];
        return x[idx[x.length - 1]];
    }
}
