package dfl.cli;

import dfl.compiler.AnalysisPrinter;
import dfl.compiler.CompileResult;
import dfl.plan.PlanPrinter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code dfl check FILE...}: report every diagnostic of each file ({@code -} reads standard input); exit 0 when no file
 * has errors, 65 when one has, 64 when a file cannot be read.
 */
@Command(name = "check", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Check models and print their diagnostics (exit 0, 65 on errors, 64 for an unreadable file). '-' reads standard input.")
final class CheckCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "the .dfl files to check; - for standard input")
    List<Path> files;

    @Mixin
    ModelOptions model;

    @Option(names = "--dump", paramLabel = "STAGE", description = "also print a stage: ast, values (the analysis: bindings with kinds, shapes and values, the latent, the composition) or plan")
    String dump;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        if (dump != null && !List.of("ast", "values", "plan").contains(dump)) {
            err.println("dfl: --dump takes 'ast', 'values' or 'plan', not '" + dump + "'");
            return ExitCodes.USAGE;
        }
        if (files.stream().filter(Sources::isStdin).count() > 1) {
            err.println("dfl: standard input ('-') can be checked once");
            return ExitCodes.USAGE;
        }
        int code = ExitCodes.OK;
        for (Path f : files) code = worse(code, check(f));
        return code;
    }

    /** A usage problem outranks a model error, which outranks success. */
    private static int worse(int a, int b) {
        if (a == ExitCodes.USAGE || b == ExitCodes.USAGE) return ExitCodes.USAGE;
        return Math.max(a, b);
    }

    private int check(Path file) {
        var out = spec.commandLine().getOut();
        Reporter reporter = Reporter.of(spec);
        CompileResult r = model.compile(file, reporter, spec.commandLine().getErr());
        if (r == null) return ExitCodes.USAGE;
        if ("ast".equals(dump)) r.program().ifPresent(p -> out.print(AstDump.dump(p)));
        if ("values".equals(dump) && r.analysis().parsed()) out.print(AnalysisPrinter.print(r.analysis()));
        if ("plan".equals(dump)) r.plan().ifPresent(p -> out.print(PlanPrinter.print(p)));
        if (r.hasErrors()) {
            reporter.summary(r.diagnostics());
            return ExitCodes.MODEL_ERROR;
        }
        out.println(r.source().name() + ": ok" + (r.warnings().isEmpty() ? "" : " (" + dfl.diag.DiagnosticRenderer.summary(r.diagnostics()) + ")"));
        return ExitCodes.OK;
    }
}
