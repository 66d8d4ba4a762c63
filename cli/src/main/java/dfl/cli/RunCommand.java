package dfl.cli;

import dfl.compiler.CompileResult;
import dfl.diag.DiagnosticRenderer;
import dfl.plan.SamplerPlan;
import dfl.runtime.DflRuntimeException;
import dfl.runtime.output.RunOutputs;
import dfl.runtime.sampler.RunOptions;
import dfl.runtime.sampler.RunResult;
import dfl.runtime.sampler.Sampling;
import dfl.runtime.sampler.StepListener;
import dfl.stdlib.runtime.StdlibProvider;
import java.nio.file.Path;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code dfl run FILE}: compile, sample, and write the output files atomically. */
@Command(name = "run", description = "Sample a model and write samples.npy, log_weights.npy, summary.json and trace.csv.")
final class RunCommand implements Callable<Integer> {

    @Mixin
    ModelOptions model;

    @Option(names = "--seed", description = "master seed (default ${DEFAULT-VALUE}); same seed, same output", defaultValue = "0")
    long seed;

    @Option(names = "--out", paramLabel = "DIR", description = "output folder (default: the sample statement's 'into', else out/<model>/)")
    Path out;

    @Option(names = "--particles", paramLabel = "K", description = "number of particles / samples, overriding the file")
    Integer particles;

    @Option(names = "--steps", paramLabel = "T", description = "number of sampling steps (levels for annealed MCMC), overriding the file")
    Integer steps;

    @Option(names = "--quiet", description = "no progress bar and no summary line")
    boolean quiet;

    @Option(names = "--plots", description = "also write ess.png and max_weight.png (SMC) or acceptance.png (MCMC) beside the samples")
    boolean plots;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        var stdout = spec.commandLine().getOut();
        if ((particles != null && particles < 1) || (steps != null && steps < 1)) {
            err.println("dfl: --particles and --steps must be at least 1");
            return ExitCodes.USAGE;
        }
        CompileResult r = model.compile(err);
        if (r == null) return ExitCodes.USAGE;
        if (r.plan().isEmpty()) {
            err.println(DiagnosticRenderer.summary(r.diagnostics()));
            return ExitCodes.MODEL_ERROR;
        }
        SamplerPlan plan = r.plan().get();
        if (particles != null || steps != null) {
            plan = plan.withSampler(plan.sampler().withSize(particles == null ? 0 : particles, steps == null ? 0 : steps),
                    plan.reason() + " Sizes set on the command line.");
        }
        Path dir = Sources.resolve(out != null ? out : Path.of(plan.outDir().orElse("out/" + plan.modelName())));
        Path file = Sources.resolve(model.file).toAbsolutePath();
        StdlibProvider.Builder pb = StdlibProvider.builder().optModelDir(file.getParent());
        if (Sources.base != null) pb.optWorkingDir(Sources.base);
        StdlibProvider provider = pb.build();
        RunOptions options = RunOptions.seed(seed);
        boolean bar = !quiet && System.console() != null;
        Thread runner = Thread.currentThread();
        Thread hook = new Thread(() -> {
            options.cancel().set(true);
            try {
                runner.join(10_000);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        RunResult result;
        try (ProgressListener progress = bar ? new ProgressListener(plan.sampler().name()) : null) {
            StepListener listener = progress != null ? progress : StepListener.NONE;
            result = Sampling.run(plan, options, provider, listener);
            RunOutputs.writeAll(dir, plan, result, provider);
            if (plots) dfl.cli.plot.RunPlots.write(dir, result);
        } catch (DflRuntimeException e) {
            Reporter.print(r.source(), e, err);
            err.println("nothing was written to " + dir);
            return ExitCodes.MODEL_ERROR;
        } catch (java.io.IOException e) {
            err.println("dfl: cannot write the outputs to " + dir + ": " + e.getMessage());
            return ExitCodes.IO_ERROR;
        } catch (CancellationException e) {
            err.println("dfl: cancelled; nothing was written to " + dir);
            return 130;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting because of Ctrl-C: the hook is already running
            }
        }
        if (!quiet) stdout.println(summaryLine(result, dir));
        return ExitCodes.OK;
    }

    static String summaryLine(RunResult r, Path dir) {
        double ess = r.stats().isEmpty() ? Double.NaN : r.stats().get(r.stats().size() - 1).ess();
        StringBuilder sb = new StringBuilder();
        sb.append(r.sampler()).append(": ").append(r.particles()).append(" samples, ").append(r.steps()).append(" steps");
        if (!Double.isNaN(ess)) sb.append(String.format(", final ESS %.1f", ess));
        if (!Double.isNaN(r.logEvidence())) sb.append(String.format(", log p̂(y) = %.4f", r.logEvidence()));
        sb.append(String.format(", %.1f s (%.1f s in the model) → %s", r.seconds(), r.networkSeconds(), dir));
        return sb.toString();
    }
}
