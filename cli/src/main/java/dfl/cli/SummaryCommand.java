package dfl.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dfl.runtime.DflRuntimeException;
import dfl.runtime.output.WeightedSummary;
import dfl.stdlib.runtime.DataArrays;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code dfl summary OUT_DIR...}: the weighted summary of a run's samples in stansummary's layout (see
 * {@link WeightedSummary}): per coordinate, or for images per summary statistic, the mean, MCSE, s.d., 5/50/95%
 * quantiles and ESS; above the table the sampler, ESS, distinct samples, unique ancestors at the last resampling and the
 * evidence with its spread over runs. Several folders (runs with different seeds) are pooled, each run weighted equally.
 */
@Command(name = "summary", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Summarise the samples in output folders like stansummary: weighted mean, MCSE, s.d., quantiles, ESS, log Ẑ.")
final class SummaryCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "OUT_DIR", description = "output folders of dfl run (several are pooled, each run weighted equally)")
    List<Path> dirs;

    @Option(names = "--csv", description = "print the table as CSV (full precision), nothing else")
    boolean csv;

    @Option(names = "--coordinates", description = "one row per coordinate also for images and latents of more than 100 values")
    boolean coordinates;

    @Spec
    CommandSpec spec;

    /** One folder's samples and records. */
    record Run(Path dir, int[] shape, float[][] samples, double[] weights, JsonObject summary, String lastResampling) {}

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        List<Run> runs = new ArrayList<>();
        for (Path d : dirs) {
            try {
                runs.add(read(Sources.resolve(d), d));
            } catch (IOException | IllegalStateException e) {
                err.println("dfl: " + d + ": " + e.getMessage());
                return ExitCodes.USAGE;
            } catch (com.google.gson.JsonParseException e) {
                err.println("dfl: " + d + ": summary.json is not a dfl run's summary: " + e.getMessage());
                return ExitCodes.USAGE;
            } catch (DflRuntimeException e) {
                err.println("dfl: " + d + ": " + e.getMessage() + " [" + e.code().printed() + "]");
                return ExitCodes.MODEL_ERROR;
            }
        }
        int[] shape = runs.get(0).shape();
        if (runs.stream().anyMatch(r -> !Arrays.equals(r.shape(), shape))) {
            err.println("dfl: the folders hold samples of different shapes; summarise them one at a time");
            return ExitCodes.USAGE;
        }
        List<float[]> samples = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        for (Run r : runs) {
            samples.addAll(Arrays.asList(r.samples()));
            for (double w : r.weights()) weights.add(w / runs.size());
        }
        float[][] all = samples.toArray(float[][]::new);
        double[] w = weights.stream().mapToDouble(Double::doubleValue).toArray();
        String latent = string(runs.get(0).summary(), "latent", "x");
        List<WeightedSummary.Row> rows = WeightedSummary.rows(latent, shape, all, w, !coordinates && WeightedSummary.byStatistic(shape));
        var out = spec.commandLine().getOut();
        if (csv) {
            out.print(SummaryTable.csv(rows));
            return ExitCodes.OK;
        }
        out.print(header(runs, all, w));
        out.println();
        out.print(SummaryTable.text(rows));
        out.println();
        out.println("Weighted by the normalised weights in log_weights.npy" + (runs.size() > 1 ? " (each folder's total 1/" + runs.size() + ")" : "")
                + "; ESS = 1/Σw² (Kish); MCSE = StdDev/√ESS;");
        out.println("quantiles are the weighted inverse CDF (NumPy's inverted_cdf)." + (WeightedSummary.byStatistic(shape) && !coordinates
                ? " Rows are statistics of each sample's values (--coordinates: one row per value)." : ""));
        return ExitCodes.OK;
    }

    private static String header(List<Run> runs, float[][] all, double[] w) {
        StringBuilder s = new StringBuilder();
        for (Run r : runs) {
            JsonObject j = r.summary();
            s.append(String.format(Locale.ROOT, "%s: %s, %d samples of shape %s, %s steps, seed %s%s%n", r.dir(), string(j, "sampler", "?"),
                    r.samples().length, Arrays.toString(r.shape()), string(j, "steps", "?"), string(j, "seed", "?"),
                    r.lastResampling().isEmpty() ? "" : ", " + r.lastResampling()));
        }
        s.append(String.format(Locale.ROOT, "ESS %.1f of %d (Kish), %d distinct samples%n", WeightedSummary.ess(w), all.length,
                WeightedSummary.distinct(all, w)));
        List<Double> logZ = new ArrayList<>();
        for (Run r : runs) {
            JsonElement perRun = r.summary().get("run_log_evidence");
            JsonElement total = r.summary().get("log_evidence");
            if (perRun != null && perRun.isJsonArray()) perRun.getAsJsonArray().forEach(e -> logZ.add(e.getAsDouble()));
            else if (total != null && !total.isJsonNull()) logZ.add(total.getAsDouble());
        }
        if (!logZ.isEmpty()) s.append(evidence(logZ)).append('\n');
        return s.toString();
    }

    /** log Ẑ pooled over runs (log of the mean Ẑ) and, with several runs, the s.d. and range of the per-run values. */
    static String evidence(List<Double> logZ) {
        double max = logZ.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        double mean = 0;
        for (double z : logZ) mean += Math.exp(z - max);
        double pooled = max + Math.log(mean / logZ.size());
        if (logZ.size() == 1) return String.format(Locale.ROOT, "log Ẑ = %.4f", pooled);
        double avg = logZ.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double var = logZ.stream().mapToDouble(z -> (z - avg) * (z - avg)).sum() / (logZ.size() - 1);
        return String.format(Locale.ROOT, "log Ẑ = %.4f (log of the mean Ẑ of %d runs; per run: s.d. %.4f, from %.4f to %.4f)", pooled,
                logZ.size(), Math.sqrt(var), logZ.stream().mapToDouble(Double::doubleValue).min().orElseThrow(), max);
    }

    private static Run read(Path dir, Path shown) throws IOException {
        for (String f : List.of("samples.npy", "log_weights.npy", "summary.json")) {
            if (!Files.isRegularFile(dir.resolve(f))) throw new IllegalStateException("not a dfl run's output folder (no " + f + ")");
        }
        DataArrays.Array s = DataArrays.read(dir.resolve("samples.npy"));
        double[] lw = DataArrays.read(dir.resolve("log_weights.npy")).values();
        int n = (int) s.shape()[0];
        if (lw.length != n) throw new IllegalStateException("log_weights.npy has " + lw.length + " values for " + n + " samples");
        int[] shape = Arrays.stream(s.shape()).skip(1).mapToInt(d -> (int) d).toArray();
        int d = n == 0 ? 0 : s.values().length / n;
        float[][] samples = new float[n][d];
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) samples[i][j] = (float) s.values()[i * d + j];
        double[] w = new double[n];
        double max = Arrays.stream(lw).max().orElse(0);
        double total = 0;
        for (int i = 0; i < n; i++) total += w[i] = Math.exp(lw[i] - max);
        for (int i = 0; i < n; i++) w[i] /= total;
        JsonObject summary = JsonParser.parseString(Files.readString(dir.resolve("summary.json"), StandardCharsets.UTF_8)).getAsJsonObject();
        return new Run(shown, shape, samples, w, summary, lastResampling(dir.resolve("trace.csv")));
    }

    /** "K unique ancestors at the last resampling (step s)" from trace.csv, or empty when no step resampled. */
    private static String lastResampling(Path trace) throws IOException {
        if (!Files.isRegularFile(trace)) return "";
        List<String> header = null;
        String found = "";
        for (String line : Files.readAllLines(trace, StandardCharsets.UTF_8)) {
            if (line.startsWith("#") || line.isBlank()) continue;
            String[] cells = line.split(",");
            if (header == null) {
                header = List.of(cells);
                continue;
            }
            int res = header.indexOf("resampled");
            int anc = header.indexOf("unique_ancestors");
            if (res >= 0 && anc >= 0 && cells.length > Math.max(res, anc) && cells[res].equals("1")) {
                found = cells[anc] + " unique ancestors at the last resampling (step " + cells[0] + ")";
            }
        }
        return found;
    }

    private static String string(JsonObject o, String key, String otherwise) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? otherwise : e.getAsString();
    }
}
