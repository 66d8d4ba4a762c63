package dfl.cli;

import dfl.compiler.CompileResult;
import dfl.plan.PlanPrinter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code dfl plan FILE}: print the sampler plan as a tree, with the chosen sampler and why. */
@Command(name = "plan", mixinStandardHelpOptions = true, versionProvider = Version.class, description = "Print the sampler plan: target terms, sampler, settings and the reason for the choice.")
final class PlanCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "a .dfl model file; - for standard input")
    Path file;

    @Mixin
    ModelOptions model;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Reporter reporter = Reporter.of(spec);
        CompileResult r = model.compile(file, reporter, spec.commandLine().getErr());
        if (r == null) return ExitCodes.USAGE;
        if (r.plan().isEmpty()) {
            reporter.summary(r.diagnostics());
            return ExitCodes.MODEL_ERROR;
        }
        spec.commandLine().getOut().print(PlanPrinter.print(r.plan().get()));
        return ExitCodes.OK;
    }
}
