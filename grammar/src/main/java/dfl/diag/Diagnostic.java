package dfl.diag;

import dfl.source.Span;
import java.util.List;

/**
 * One message about a program: a stable code, a severity, where it is, what is wrong, and hints
 * (suggestions such as "Did you mean 'prior'?"). Diagnostics are data; they are rendered in one
 * place, {@link DiagnosticRenderer}.
 */
public record Diagnostic(Code code, Severity severity, Span span, String message, List<String> hints) {

    public Diagnostic {
        hints = List.copyOf(hints);
    }

    /** An error with the given code. */
    public static Diagnostic error(Code code, Span span, String message, String... hints) {
        return new Diagnostic(code, Severity.ERROR, span, message, List.of(hints));
    }

    /** A warning with the given code. */
    public static Diagnostic warning(Code code, Span span, String message, String... hints) {
        return new Diagnostic(code, Severity.WARNING, span, message, List.of(hints));
    }

    /** Whether this diagnostic is an error. */
    public boolean isError() {
        return severity == Severity.ERROR;
    }
}
