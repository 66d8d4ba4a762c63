package dfl.cli;

import dfl.api.DflModel;
import dfl.api.DflRunException;
import dfl.api.Result;
import dfl.api.SamplerRun;
import dfl.compiler.CompileResult;
import dfl.diag.Code;
import dfl.plan.SamplerPlan;
import dfl.runtime.run.StepListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code dfl run FILE}: compile, sample, and write the output folder as a unit. */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Sample a model and write samples.npy, log_weights.npy, draws.npy, summary.json and trace.csv.")
final class RunCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "a .dfl model file; - for standard input")
    Path file;

    @Mixin
    ModelOptions model;

    @Mixin
    SamplingOptions sampling;

    @Option(names = "--quiet", description = "no progress bar and no summary line")
    boolean quiet;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        var stdout = spec.commandLine().getOut();
        Reporter reporter = Reporter.of(spec);
        if (sampling.out != null && sampling.out.toString().isBlank()) {
            err.println("dfl: --out needs a folder name (an empty one would mean the working folder)");
            return ExitCodes.USAGE;
        }
        if (sampling.invalidSizes() != null) {
            err.println("dfl: " + sampling.invalidSizes());
            return ExitCodes.USAGE;
        }
        CompileResult r = model.compile(file, reporter, err);
        if (r == null) return ExitCodes.USAGE;
        if (r.plan().isEmpty()) {
            reporter.summary(r.diagnostics());
            return ExitCodes.MODEL_ERROR;
        }
        DflModel m;
        try {
            m = sampling.bind(model.settings.model(r), Sources.base, Map.of());
        } catch (SamplingOptions.DataBindingException e) {
            reporter.print(r.source(), e.diagnostics());
            return ExitCodes.MODEL_ERROR;
        }
        SamplerPlan plan = m.plan();
        Path dir = Sources.resolve(sampling.out != null ? sampling.out : Path.of(plan.outDir().orElse("out/" + plan.modelName())));
        try {
            // a long run must not be wasted on a folder it cannot write: check before sampling
            dfl.runtime.output.OutputFolder.checkTarget(dir);
        } catch (java.io.IOException e) {
            err.println("dfl: cannot write the outputs to " + dir + ": " + e.getMessage());
            return ExitCodes.IO_ERROR;
        }
        boolean bar = !quiet && System.console() != null;
        Result result;
        try (ProgressListener progress = bar ? new ProgressListener(plan.sampler().name(), reporter.color()) : null;
                SamplerRun run = sampling.sampler(m).optListener(progress != null ? progress : StepListener.NONE)
                        .optCommandLine(commandLine(spec)).build()) {
            result = runWithCtrlC(run, () -> {
                err.println("dfl: cancelled; nothing was written to " + dir);
                err.flush();
            });
            result.writeTo(dir);
            if (sampling.plots) dfl.cli.plot.RunPlots.write(dir, result.runResult());
        } catch (DflRunException e) {
            reporter.print(m.source(), List.of(e.diagnostic()));
            if (!reporter.json()) err.println("nothing was written to " + dir);
            return e.code() == Code.E0320 ? ExitCodes.UNAVAILABLE : ExitCodes.MODEL_ERROR;
        } catch (java.io.IOException e) {
            err.println("dfl: cannot write the outputs to " + dir + ": " + e.getMessage());
            return ExitCodes.IO_ERROR;
        } catch (CancellationException e) {
            return ExitCodes.INTERRUPTED;
        }
        if (!quiet) stdout.println(result.summary() + " → " + dir);
        if (model.printRunWarnings(r.source(), result.warnings(), reporter)) {
            err.println("dfl: --deny-warnings: the run's warnings are errors (the outputs are in " + dir + ")");
            return ExitCodes.MODEL_ERROR;
        }
        return ExitCodes.OK;
    }

    /** The command line as typed ({@code dfl run ...}), for the run record. */
    static List<String> commandLine(CommandSpec spec) {
        List<String> args = new ArrayList<>(List.of("dfl"));
        args.addAll(spec.root().commandLine().getParseResult().originalArgs());
        return args;
    }

    /**
     * Runs on this thread. Ctrl-C (the JVM's shutdown) cancels the run and waits, at most 10 s, until the run has stopped
     * and {@code onCancel} has told the user; the JVM then exits with 130.
     */
    private static Result runWithCtrlC(SamplerRun run, Runnable onCancel) {
        java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
        Thread hook = new Thread(() -> {
            run.cancel();
            try {
                stopped.await(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return run.run();
        } catch (CancellationException e) {
            onCancel.run();
            throw e;
        } finally {
            stopped.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting because of Ctrl-C: the hook is already running
            }
        }
    }
}
