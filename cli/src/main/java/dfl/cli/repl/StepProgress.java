package dfl.cli.repl;

import dfl.runtime.run.StepListener;
import dfl.runtime.run.StepStats;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line progress display for {@code :run} on a terminal: steps done, ESS, largest weight, the last
 * level's acceptance rate (annealed MCMC) and the time left, redrawn at most five times a second with a carriage return.
 */
final class StepProgress implements StepListener {

    private static final long REDRAW_NANOS = 200_000_000L;

    private final PrintWriter out;
    private final String task;
    private final long start = System.nanoTime();
    private long lastDraw;
    private boolean drawn;
    private double acceptance = Double.NaN;

    StepProgress(PrintWriter out, String task) {
        this.out = out;
        this.task = task;
    }

    @Override
    public void onStep(int done, int total, StepStats s) {
        long now = System.nanoTime();
        if (done < total && now - lastDraw < REDRAW_NANOS) return;
        lastDraw = now;
        double elapsed = (now - start) / 1e9;
        double eta = done == 0 ? Double.NaN : elapsed / done * (total - done);
        out.print(String.format(Locale.ROOT, "\r%s %d/%d  ESS %.0f  max w %.2f%s  ETA %s   ", task, done, total, s.ess(), s.maxWeight(),
                Double.isNaN(acceptance) ? "" : String.format(Locale.ROOT, "  acceptance %.2f", acceptance),
                Double.isNaN(eta) ? "?" : String.format(Locale.ROOT, "%.0fs", Math.ceil(eta))));
        out.flush();
        drawn = true;
    }

    @Override
    public void onAcceptance(double rate) {
        acceptance = rate;
    }

    /** Ends the progress line so the next output starts on a fresh line. */
    void finish() {
        if (drawn) {
            out.println();
            drawn = false;
        }
    }
}
