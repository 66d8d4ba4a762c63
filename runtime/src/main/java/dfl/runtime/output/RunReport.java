package dfl.runtime.output;

import dfl.diag.Code;
import dfl.diag.Diagnostic;
import dfl.plan.Density;
import dfl.plan.SamplerPlan;
import dfl.runtime.run.RunResult;
import dfl.runtime.run.StepStats;
import dfl.source.Span;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.stream.Collectors;

/**
 * What a run says about itself, computed once from its {@link RunResult} and plan: the one summary line that
 * {@code dfl run}, the REPL's {@code :run} and {@code Result.summary()} print, the figures summary.json and trace.csv
 * record, and the run-time warning {@link Code#W0005} when the output is degenerate.
 *
 * <p>Honest about collapse: after a resampling step the ESS of the output weights counts copies of one particle as
 * independent, so the report gives the ESS <em>before</em> the last resampling and the number of distinct output
 * samples beside it. An evidence estimate is reported only where the program has something to estimate: observations,
 * or a prior that is more than one diffusion prior (factors or a composition, whose normaliser is log Ẑ).
 *
 * @param run                    the run
 * @param essBeforeLastResampling ESS of the population entering the last step that resampled (NaN when none did)
 * @param lastResamplingStep     that step's index (0 when no step resampled)
 * @param ancestorsLastResampling the distinct particles that step kept (0 when no step resampled): every output sample
 *                               descends from one of them, so it bounds how varied the output can be
 * @param finalEss               ESS of the output weights
 * @param distinct               distinct output samples with non-zero weight
 * @param lowEssSteps            steps whose ESS before resampling was below 2
 * @param evidence               the log-evidence estimate, where it means something
 * @param evidenceLabel          {@code log p̂(y)} with observations, {@code log Ẑ} for a composition without them
 * @param warnings               run-time warnings (W0005, and the runtime's W0006), as diagnostics without a source position
 */
public record RunReport(RunResult run, double essBeforeLastResampling, int lastResamplingStep, int ancestorsLastResampling,
        double finalEss, int distinct,
        int lowEssSteps, OptionalDouble evidence, String evidenceLabel, List<Diagnostic> warnings) {

    /** An ESS below this before resampling means one particle carried (almost) all the weight. */
    static final double LOW_ESS = 2.0;

    public RunReport {
        warnings = List.copyOf(warnings);
    }

    /** The report of {@code run}; {@code plan} (may be null in tests) decides whether its evidence is meaningful. */
    public static RunReport of(SamplerPlan plan, RunResult run) {
        StepStats last = run.lastResampling().orElse(null);
        double essBefore = last == null ? Double.NaN : last.essBefore();
        int distinct = run.distinctSamples();
        int low = run.stepsWithEssBefore(LOW_ESS);
        boolean observed = plan == null || !plan.likelihoods().isEmpty();
        boolean meaningful = observed || !(plan.prior() instanceof Density.Diffusion);
        OptionalDouble evidence = meaningful && !Double.isNaN(run.logEvidence()) ? OptionalDouble.of(run.logEvidence()) : OptionalDouble.empty();
        List<Diagnostic> warnings = new ArrayList<>(degeneracy(run, distinct, low));
        warnings.addAll(run.warnings());
        return new RunReport(run, essBefore, last == null ? 0 : last.step(), last == null ? 0 : last.uniqueAncestors(),
                run.outputEss(), distinct, low, evidence,
                observed ? "log p̂(y)" : "log Ẑ", warnings);
    }

    /** W0005 when fewer than K/4 distinct samples remain, or the ESS before resampling stayed below 2 for over 10% of the steps. */
    private static List<Diagnostic> degeneracy(RunResult run, int distinct, int low) {
        int k = run.particles();
        int steps = run.stats().size();
        List<String> why = new ArrayList<>();
        if (distinct < k / 4.0) {
            why.add("the " + k + " samples hold only " + distinct + " distinct " + (distinct == 1 ? "particle" : "particles")
                    + " (fewer than K/4 = " + fmt(k / 4.0) + ")");
        }
        if (steps > 0 && low > 0.1 * steps) {
            why.add("the ESS before resampling was below " + fmt(LOW_ESS) + " at " + low + " of " + steps + " steps");
        }
        if (why.isEmpty()) return List.of();
        return List.of(Diagnostic.warning(Code.W0005, Span.NONE,
                "the weights collapsed: " + String.join(", and ", why) + "; the output is not " + k + " independent draws.",
                "More particles or steps, or a less sharp likelihood, keep more lineages alive; trace.csv has the ESS "
                        + "before every resampling (ess_before) and the surviving ancestors (unique_ancestors)."));
    }

    /** Whether some step resampled. */
    public boolean resampled() {
        return lastResamplingStep > 0;
    }

    /**
     * The summary line: sampler, sizes, ESS (before the last resampling, with that step and the unique ancestors it
     * kept, and at the end), distinct samples, the evidence where meaningful, the mean of small latents, and the time.
     */
    public String line() {
        StringBuilder sb = new StringBuilder();
        sb.append(run.sampler()).append(": ").append(run.particles()).append(" samples, ").append(run.steps()).append(" steps");
        if (resampled()) {
            sb.append(String.format(Locale.ROOT, ", ESS %.1f before the last resampling (step %d, %s), %.1f at the end",
                    essBeforeLastResampling, lastResamplingStep, ancestors(ancestorsLastResampling), finalEss));
        } else {
            sb.append(String.format(Locale.ROOT, ", ESS %.1f", finalEss));
        }
        sb.append(", ").append(distinct).append(" distinct");
        evidence.ifPresent(z -> sb.append(", ").append(evidenceLabel).append(" = ").append(number(z, "%.4f")));
        List<Double> perRun = run.runLogEvidence();
        if (evidence.isPresent() && perRun.size() > 1) {
            double m = perRun.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            double sd = Math.sqrt(perRun.stream().mapToDouble(v -> (v - m) * (v - m)).sum() / (perRun.size() - 1));
            sb.append(String.format(Locale.ROOT, " (%d runs, sd %s)", perRun.size(), number(sd, "%.4f")));
        }
        double[] mean = run.weightedMean();
        if (mean.length <= 8) {
            sb.append(", mean ").append(Arrays.stream(mean).mapToObj(m -> number(m, "%.3f"))
                    .collect(Collectors.joining(", ", "[", "]")));
        }
        sb.append(String.format(Locale.ROOT, ", %.1f s (%.1f s in the model)", run.seconds(), run.networkSeconds()));
        return sb.toString();
    }

    /** "1 unique ancestor", "7 unique ancestors". */
    public static String ancestors(int n) {
        return n + (n == 1 ? " unique ancestor" : " unique ancestors");
    }

    /** {@code v} in {@code fixed} format, or in 6 significant digits with an exponent from 1e6 on (never 80 digits). */
    static String number(double v, String fixed) {
        return String.format(Locale.ROOT, Math.abs(v) < 1e6 ? fixed : "%.6g", v);
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
