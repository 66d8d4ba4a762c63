package dfl.cli;

import dfl.compiler.AnalysisPrinter;
import dfl.compiler.CompileResult;
import dfl.diag.DiagnosticRenderer;
import dfl.plan.PlanPrinter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code dfl check FILE}: report every diagnostic; exit 0 when there are no errors, 65 otherwise. */
@Command(name = "check", mixinStandardHelpOptions = true, versionProvider = Version.class, description = "Check a model and print its diagnostics (exit 0 or 65).")
final class CheckCommand implements Callable<Integer> {

    @Mixin
    ModelOptions model;

    @Option(names = "--dump", paramLabel = "STAGE", description = "also print a stage: ast, values (the analysis: bindings with kinds, shapes and values, the latent, the composition) or plan")
    String dump;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        if (dump != null && !List.of("ast", "values", "plan").contains(dump)) {
            err.println("dfl: --dump takes 'ast', 'values' or 'plan', not '" + dump + "'");
            return ExitCodes.USAGE;
        }
        CompileResult r = model.compile(err);
        if (r == null) return ExitCodes.USAGE;
        if ("ast".equals(dump)) r.program().ifPresent(p -> out.print(AstDump.dump(p)));
        if ("values".equals(dump) && r.analysis().parsed()) out.print(AnalysisPrinter.print(r.analysis()));
        if ("plan".equals(dump)) r.plan().ifPresent(p -> out.print(PlanPrinter.print(p)));
        if (r.hasErrors()) {
            err.println(DiagnosticRenderer.summary(r.diagnostics()));
            return ExitCodes.MODEL_ERROR;
        }
        out.println(model.file + ": ok" + (r.warnings().isEmpty() ? "" : " (" + DiagnosticRenderer.summary(r.diagnostics()) + ")"));
        return ExitCodes.OK;
    }
}
