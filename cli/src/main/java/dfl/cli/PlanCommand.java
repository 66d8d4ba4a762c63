package dfl.cli;

import dfl.compiler.CompileResult;
import dfl.diag.DiagnosticRenderer;
import dfl.plan.PlanPrinter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code dfl plan FILE}: print the sampler plan as a tree, with the chosen sampler and why. */
@Command(name = "plan", mixinStandardHelpOptions = true, versionProvider = Version.class, description = "Print the sampler plan: target terms, sampler, settings and the reason for the choice.")
final class PlanCommand implements Callable<Integer> {

    @Mixin
    ModelOptions model;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        CompileResult r = model.compile(spec.commandLine().getErr());
        if (r == null) return ExitCodes.USAGE;
        if (r.plan().isEmpty()) {
            spec.commandLine().getErr().println(DiagnosticRenderer.summary(r.diagnostics()));
            return ExitCodes.MODEL_ERROR;
        }
        spec.commandLine().getOut().print(PlanPrinter.print(r.plan().get()));
        return ExitCodes.OK;
    }
}
