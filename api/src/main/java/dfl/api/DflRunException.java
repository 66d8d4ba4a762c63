package dfl.api;

import dfl.diag.Code;
import dfl.diag.Diagnostic;
import dfl.diag.DiagnosticRenderer;
import dfl.runtime.DflRuntimeException;
import dfl.source.SourceFile;
import dfl.source.Span;

/**
 * A run failed for a reason the model's author can act on: a data file that cannot be read (E0301),
 * data that does not fit (E0302), a numerical failure (E0303), all weights zero (E0304), an unknown
 * model (E0305), or a file outside the data root (E0306). {@link #code()} says which;
 * {@link #rendered()} is the diagnostic as {@code dfl run} prints it.
 */
public final class DflRunException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Code code;
    private final transient Diagnostic diagnostic;
    private final String rendered;

    DflRunException(DflRuntimeException cause, SourceFile source) {
        super(cause.code().printed() + ": " + cause.getMessage(), cause);
        this.code = cause.code();
        this.diagnostic = Diagnostic.error(cause.code(), cause.span(), cause.getMessage());
        this.rendered = DiagnosticRenderer.render(source, diagnostic);
    }

    /** The diagnostic code, e.g. {@link Code#E0306}. */
    public Code code() {
        return code;
    }

    /** The failure as a diagnostic (with the source position the runtime named, if any). */
    public Diagnostic diagnostic() {
        return diagnostic;
    }

    /** The diagnostic rendered against the model's source, as {@code dfl run} and the REPL print it. */
    public String rendered() {
        return rendered;
    }
}
