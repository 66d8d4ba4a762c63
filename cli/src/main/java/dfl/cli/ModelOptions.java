package dfl.cli;

import dfl.api.Dfl;
import dfl.compiler.CompileResult;
import dfl.diag.Code;
import dfl.diag.Diagnostic;
import dfl.diag.Severity;
import dfl.source.SourceFile;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** The compile options every command that compiles shares: {@code --set} and how warnings count. */
final class ModelOptions {

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

    /** The compile settings for {@code file}: {@code --set} values, the model file's folder and the working folder. */
    Dfl.Builder compiler(Path file) throws BadOption {
        Path dir = Sources.isStdin(file) ? Sources.resolve(Path.of("")) : Sources.resolve(file).toAbsolutePath().getParent();
        Dfl.Builder b = Dfl.builder().optModelDir(dir).optWorkingDir(Sources.base);
        for (Map.Entry<String, String> e : sets.entrySet()) {
            try {
                b.optSet(e.getKey(), Double.parseDouble(e.getValue().trim()));
            } catch (NumberFormatException ex) {
                throw new BadOption("--set " + e.getKey() + "=" + e.getValue() + ": the value must be a number [" + Code.E0307.printed() + "]");
            }
        }
        return b;
    }

    /** Reads and compiles {@code file} ({@code -}: standard input), printing diagnostics; null after a usage problem (reported). */
    CompileResult compile(Path file, Reporter reporter, java.io.PrintWriter err) {
        SourceFile src;
        Dfl.Builder c;
        try {
            src = Sources.read(file);
            c = compiler(file);
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
        reporter.print(r);
        return r;
    }

    /**
     * Prints run-time warnings (such as W0005) the way compile diagnostics are printed: hidden by {@code --no-warnings},
     * errors under {@code --deny-warnings}. Returns whether the run must fail (exit 65) because of them.
     */
    boolean printRunWarnings(SourceFile source, List<Diagnostic> warnings, Reporter reporter) {
        if (denyWarnings && !warnings.isEmpty()) {
            reporter.print(source, warnings.stream().map(ModelOptions::asError).toList());
            return true;
        }
        if (!noWarnings) reporter.print(source, warnings);
        return false;
    }

    private static Diagnostic asError(Diagnostic d) {
        return d.isError() ? d : new Diagnostic(d.code(), Severity.ERROR, d.span(), d.message(), d.hints());
    }
}
