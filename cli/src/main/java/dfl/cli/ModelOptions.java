package dfl.cli;

import dfl.compiler.CompileResult;
import dfl.api.Dfl;
import dfl.diag.Code;
import dfl.source.SourceFile;
import java.io.PrintWriter;
import java.nio.file.Path;
import dfl.diag.Diagnostic;
import dfl.diag.Severity;
import java.util.LinkedHashMap;
import java.util.List;
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

    /** The compile settings of the last {@link #compile}, which also make its model. */
    Dfl.Builder settings;

    /** Thrown when an option's value is unusable; the message is for the user. */
    static final class BadOption extends Exception {
        BadOption(String message) {
            super(message);
        }
    }

    /** The compile settings of these options: {@code --set} values, the model file's folder and the working folder. */
    Dfl.Builder compiler() throws BadOption {
        Dfl.Builder b = Dfl.builder().optModelDir(Sources.resolve(file).toAbsolutePath().getParent()).optWorkingDir(Sources.base);
        for (Map.Entry<String, String> e : sets.entrySet()) {
            try {
                b.optSet(e.getKey(), Double.parseDouble(e.getValue().trim()));
            } catch (NumberFormatException ex) {
                throw new BadOption("--set " + e.getKey() + "=" + e.getValue() + ": the value must be a number [" + Code.E0307.printed() + "]");
            }
        }
        return b;
    }

    /** Reads and compiles the file, printing diagnostics; returns null after a usage problem (already reported). */
    CompileResult compile(PrintWriter err) {
        SourceFile src;
        Dfl.Builder c;
        try {
            src = Sources.read(file);
            c = compiler();
        } catch (Sources.UnreadableSource | BadOption e) {
            err.println("dfl: " + e.getMessage());
            return null;
        }
        settings = c;
        CompileResult r = c.check(src);
        if (denyWarnings && !r.warnings().isEmpty()) {
            r = r.withDiagnostics(r.diagnostics().stream().map(ModelOptions::asError).toList());
        } else if (noWarnings) {
            r = r.withDiagnostics(r.errors());
        }
        Reporter.print(r, err);
        return r;
    }

    /**
     * Prints run-time warnings (such as W0005) the way compile diagnostics are printed: hidden by {@code --no-warnings},
     * errors under {@code --deny-warnings}. Returns whether the run must fail (exit 65) because of them.
     */
    boolean printRunWarnings(SourceFile source, List<Diagnostic> warnings, PrintWriter err) {
        if (denyWarnings && !warnings.isEmpty()) {
            Reporter.print(source, warnings.stream().map(ModelOptions::asError).toList(), err);
            return true;
        }
        if (!noWarnings) Reporter.print(source, warnings, err);
        return false;
    }

    private static Diagnostic asError(Diagnostic d) {
        return d.isError() ? d : new Diagnostic(d.code(), Severity.ERROR, d.span(), d.message(), d.hints());
    }
}
