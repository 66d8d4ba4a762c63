package dfl.cli;

import dfl.compiler.CompileResult;
import dfl.compiler.Compiler;
import dfl.compiler.value.Value;
import dfl.diag.Code;
import dfl.source.SourceFile;
import dfl.stdlib.Stdlib;
import java.io.PrintWriter;
import java.nio.file.Path;
import dfl.diag.Diagnostic;
import dfl.diag.Severity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The model file and the options every command that compiles shares. */
final class ModelOptions {

    @Parameters(index = "0", paramLabel = "FILE", description = "a .dfl model file")
    Path file;

    @Option(names = "--set", paramLabel = "NAME=VALUE", description = "replace the number bound to NAME, e.g. --set γ=2")
    Map<String, String> sets = new LinkedHashMap<>();

    @Option(names = "--no-warnings", description = "do not print warnings")
    boolean noWarnings;

    @Option(names = "--deny-warnings", description = "treat warnings as errors (exit 65)")
    boolean denyWarnings;

    /** Thrown when an option's value is unusable; the message is for the user. */
    static final class BadOption extends Exception {
        BadOption(String message) {
            super(message);
        }
    }

    Compiler compiler() throws BadOption {
        Compiler.Builder b = Compiler.builder().setBuiltins(Stdlib.registry());
        for (Map.Entry<String, String> e : sets.entrySet()) {
            try {
                b.optOverride(e.getKey(), new Value.Num(Double.parseDouble(e.getValue().trim())));
            } catch (NumberFormatException ex) {
                throw new BadOption("--set " + e.getKey() + "=" + e.getValue() + ": the value must be a number [" + Code.E0307.printed() + "]");
            }
        }
        return b.build();
    }

    /** Reads and compiles the file, printing diagnostics; returns null after a usage problem (already reported). */
    CompileResult compile(PrintWriter err) {
        SourceFile src;
        Compiler c;
        try {
            src = Sources.read(file);
            c = compiler();
        } catch (Sources.UnreadableSource | BadOption e) {
            err.println("dfl: " + e.getMessage());
            return null;
        }
        CompileResult r = c.compile(src);
        if (denyWarnings && !r.warnings().isEmpty()) {
            List<Diagnostic> all = r.diagnostics().stream()
                    .map(d -> d.isError() ? d : new Diagnostic(d.code(), Severity.ERROR, d.span(), d.message(), d.hints())).toList();
            r = new CompileResult(r.source(), r.program(), Optional.empty(), all);
        } else if (noWarnings) {
            r = new CompileResult(r.source(), r.program(), r.plan(), r.errors());
        }
        Reporter.print(r, err);
        return r;
    }
}
