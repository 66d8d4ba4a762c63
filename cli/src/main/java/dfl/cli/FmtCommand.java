package dfl.cli;

import dfl.ast.Printer;
import dfl.diag.DiagnosticRenderer;
import dfl.grammar.Parse;
import dfl.grammar.ParseResult;
import dfl.source.SourceFile;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code dfl fmt FILE}: print the program in canonical form (comments are not kept). */
@Command(name = "fmt", mixinStandardHelpOptions = true, versionProvider = Version.class, description = "Print a model in canonical DFL formatting (comments are dropped).")
final class FmtCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE")
    Path file;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        SourceFile src;
        try {
            src = Sources.read(file);
        } catch (Sources.UnreadableSource e) {
            err.println("dfl: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        ParseResult r = Parse.program(src);
        if (r.program().isEmpty() || r.diagnostics().stream().anyMatch(d -> d.isError())) {
            err.print(DiagnosticRenderer.renderAll(src, r.diagnostics()));
            return ExitCodes.MODEL_ERROR;
        }
        spec.commandLine().getOut().print(Printer.print(r.program().get()));
        return ExitCodes.OK;
    }
}
