package dfl.cli;

import dfl.api.DflModel;
import dfl.api.DflRunException;
import dfl.api.Result;
import dfl.api.SamplerRun;
import dfl.compiler.CompileResult;
import dfl.diag.DiagnosticRenderer;
import dfl.plan.SamplerPlan;
import dfl.runtime.run.StepListener;
import java.nio.file.Path;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code dfl run FILE}: compile, sample, and write the output files atomically. */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = Version.class, description = "Sample a model and write samples.npy, log_weights.npy, summary.json and trace.csv.")
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
        if (out != null && out.toString().isBlank()) {
            err.println("dfl: --out needs a folder name (an empty one would mean the working folder)");
            return ExitCodes.USAGE;
        }
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
        DflModel m = model.settings.model(r);
        SamplerPlan plan = m.plan();
        Path dir = Sources.resolve(out != null ? out : Path.of(plan.outDir().orElse("out/" + plan.modelName())));
        try {
            // a long run must not be wasted on a folder it cannot write: check before sampling
            dfl.runtime.output.OutputFolder.checkTarget(dir);
        } catch (java.io.IOException e) {
            err.println("dfl: cannot write the outputs to " + dir + ": " + e.getMessage());
            return ExitCodes.IO_ERROR;
        }
        boolean bar = !quiet && System.console() != null;
        Result result;
        try (ProgressListener progress = bar ? new ProgressListener(plan.sampler().name()) : null;
                SamplerRun run = m.sampler().optParticles(particles != null ? particles : plan.sampler().particles())
                        .optSteps(steps != null ? steps : plan.sampler().steps()).optSeed(seed)
                        .optListener(progress != null ? progress : StepListener.NONE).build()) {
            result = runWithCtrlC(run);
            result.writeTo(dir);
            if (plots) dfl.cli.plot.RunPlots.write(dir, result.runResult());
        } catch (DflRunException e) {
            err.println(e.rendered());
            err.println("nothing was written to " + dir);
            return ExitCodes.MODEL_ERROR;
        } catch (java.io.IOException e) {
            err.println("dfl: cannot write the outputs to " + dir + ": " + e.getMessage());
            return ExitCodes.IO_ERROR;
        } catch (CancellationException e) {
            err.println("dfl: cancelled; nothing was written to " + dir);
            return ExitCodes.INTERRUPTED;
        }
        if (!quiet) stdout.println(result.summary() + " → " + dir);
        if (model.printRunWarnings(r.source(), result.warnings(), err)) {
            err.println("dfl: --deny-warnings: the run's warnings are errors (the outputs are in " + dir + ")");
            return ExitCodes.MODEL_ERROR;
        }
        return ExitCodes.OK;
    }

    /** Runs on this thread; Ctrl-C (the JVM's shutdown) cancels the run and waits briefly for it to stop. */
    private static Result runWithCtrlC(SamplerRun run) {
        Thread runner = Thread.currentThread();
        Thread hook = new Thread(() -> {
            run.cancel();
            try {
                runner.join(10_000);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return run.run();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting because of Ctrl-C: the hook is already running
            }
        }
    }
}
