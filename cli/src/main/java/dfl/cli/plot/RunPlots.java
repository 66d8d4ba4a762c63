package dfl.cli.plot;

import dfl.runtime.output.AtomicFiles;
import dfl.runtime.run.RunResult;
import dfl.runtime.run.StepStats;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The diagnostic plots of {@code dfl run --plots}, written beside {@code samples.png}: for weighted
 * (SMC) runs {@code ess.png} (effective sample size per step, with the steps that resampled marked) and
 * {@code max_weight.png} (largest normalised weight per step: the heavy-tail warning TDS needs); for MCMC
 * runs that report it, {@code acceptance.png} (acceptance rate per noise level). Each file is written
 * atomically. Rendering is headless.
 */
public final class RunPlots {

    static {
        // plots are drawn off-screen; without this AWT may look for a display
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    private static final int WIDTH = 900;
    private static final int HEIGHT = 500;

    private RunPlots() {}

    /** Writes every plot that applies to {@code r} into {@code dir}; returns the files written (none for unweighted runs without acceptance rates). */
    public static List<Path> write(Path dir, RunResult r) throws IOException {
        List<Path> written = new ArrayList<>();
        if (weighted(r) && !r.stats().isEmpty()) {
            written.add(save(essChart(r), dir.resolve("ess.png")));
            written.add(save(maxWeightChart(r), dir.resolve("max_weight.png")));
        }
        Optional<double[]> acc = acceptance(r);
        if (acc.isPresent() && acc.get().length > 0) written.add(save(acceptanceChart(r.sampler(), acc.get()), dir.resolve("acceptance.png")));
        return written;
    }

    /** A run is weighted when it estimates the evidence (SMC) or any step's weights were uneven. */
    static boolean weighted(RunResult r) {
        if (!Double.isNaN(r.logEvidence())) return true;
        return r.stats().stream().anyMatch(s -> s.resampled() || s.ess() < r.particles() - 1e-9);
    }

    /** Acceptance rates per annealing level, in sampling order (annealed MCMC runs; empty otherwise). */
    static Optional<double[]> acceptance(RunResult r) {
        if (r.levels().isEmpty()) return Optional.empty();
        return Optional.of(r.levels().stream().mapToDouble(dfl.runtime.run.LevelStats::acceptance).toArray());
    }

    static XYChart essChart(RunResult r) {
        int n = r.stats().size();
        double[] x = new double[n], ess = new double[n], before = new double[n];
        List<Double> rx = new ArrayList<>(), ry = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StepStats s = r.stats().get(i);
            x[i] = i + 1;
            ess[i] = s.ess();
            before[i] = s.essBefore();
            if (s.resampled()) {
                rx.add(x[i]);
                ry.add(s.essBefore());
            }
        }
        XYChart c = chart(r.sampler() + ": effective sample size per step (K = " + r.particles() + ")", "sampling step (noisy → clean)",
                "ESS");
        c.getStyler().setYAxisMin(0.0).setYAxisMax((double) r.particles());
        line(c, "ESS after reweighting", x, ess);
        if (!rx.isEmpty()) {
            XYSeries s = c.addSeries("resampled here (ESS before)", rx, ry);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            s.setMarker(SeriesMarkers.CIRCLE);
        }
        return c;
    }

    static XYChart maxWeightChart(RunResult r) {
        int n = r.stats().size();
        double[] x = new double[n], w = new double[n], uniform = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i + 1;
            w[i] = r.stats().get(i).maxWeight();
            uniform[i] = 1.0 / r.particles();
        }
        XYChart c = chart(r.sampler() + ": largest normalised weight per step", "sampling step (noisy → clean)", "max weight");
        // scaled to the data (not to 1) so that small but growing weights stay visible
        double top = java.util.Arrays.stream(w).max().orElse(1.0);
        c.getStyler().setYAxisMin(0.0).setYAxisMax(Math.min(1.0, Math.max(1.1 * top, 2.0 / r.particles())));
        line(c, "largest weight", x, w);
        line(c, "1/K (even weights)", x, uniform);
        return c;
    }

    static XYChart acceptanceChart(String sampler, double[] acc) {
        double[] x = new double[acc.length];
        for (int i = 0; i < acc.length; i++) x[i] = i + 1;
        XYChart c = chart(sampler + ": Metropolis–Hastings acceptance rate per level", "noise level (noisy → clean)", "acceptance");
        c.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        line(c, "acceptance rate", x, acc);
        return c;
    }

    private static XYChart chart(String title, String xTitle, String yTitle) {
        XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS).setLegendLayout(Styler.LegendLayout.Horizontal).setChartBackgroundColor(java.awt.Color.WHITE)
                .setAntiAlias(true);
        c.getStyler().setPlotGridLinesVisible(true);
        return c;
    }

    private static void line(XYChart c, String name, double[] x, double[] y) {
        XYSeries s = c.addSeries(name, x, y);
        s.setMarker(SeriesMarkers.NONE);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    }

    private static Path save(XYChart chart, Path file) throws IOException {
        byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        AtomicFiles.write(file, out -> out.write(png));
        return file;
    }
}
