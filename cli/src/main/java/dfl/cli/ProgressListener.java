package dfl.cli;

import dfl.runtime.run.StepListener;
import dfl.runtime.run.StepStats;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The progress bar of {@code dfl run} on a terminal: steps done, ETA, and the sampler's health
 * (ESS and largest weight; for annealed MCMC also the last level's acceptance rate). Uses the progressbar library, which sizes itself to the terminal.
 */
final class ProgressListener implements StepListener, AutoCloseable {

    private final String task;
    private final boolean color;
    private ProgressBar bar;
    private double acceptance = Double.NaN;

    /** @param color whether the bar may be colored ({@code --color}, {@code NO_COLOR}) */
    ProgressListener(String task, boolean color) {
        this.task = task;
        this.color = color;
    }

    @Override
    public void onStep(int done, int total, StepStats stats) {
        if (bar == null) {
            bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(color ? ProgressBarStyle.COLORFUL_UNICODE_BLOCK : ProgressBarStyle.UNICODE_BLOCK)
                    .setUpdateIntervalMillis(200).showSpeed().build();
        }
        bar.stepTo(done);
        bar.setExtraMessage(String.format(" ESS %.0f, max w %.2f", stats.ess(), stats.maxWeight())
                + (Double.isNaN(acceptance) ? "" : String.format(", acceptance %.2f", acceptance)));
    }

    @Override
    public void onAcceptance(double rate) {
        acceptance = rate;
    }

    @Override
    public void close() {
        if (bar != null) bar.close();
    }
}
