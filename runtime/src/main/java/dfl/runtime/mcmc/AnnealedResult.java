package dfl.runtime.mcmc;

import dfl.runtime.run.RunResult;
import java.util.List;
import dfl.runtime.run.LevelStats;

/**
 * The outcome of an annealed run: the common {@link RunResult} (samples, weights, per-level {@code StepStats},
 * log Z for the SMC variant) plus the per-level MCMC statistics that summary.json ({@code acceptance}) and
 * trace.csv report.
 */
public record AnnealedResult(RunResult run, List<LevelStats> levels) {

    public AnnealedResult {
        levels = List.copyOf(levels);
    }

    /** The run result with the level statistics attached (what Sampling returns and RunOutputs writes). */
    public RunResult merged() {
        return run.withLevels(levels);
    }

    /** Acceptance rate per level, in sampling order (T first). */
    public double[] acceptance() {
        return levels.stream().mapToDouble(LevelStats::acceptance).toArray();
    }

    /** Mean step size per level, in sampling order. */
    public double[] stepSizes() {
        return levels.stream().mapToDouble(LevelStats::stepSize).toArray();
    }

    /** Batched evaluations per level, in sampling order. */
    public long[] scoreEvaluations() {
        return levels.stream().mapToLong(LevelStats::scoreEvaluations).toArray();
    }
}
