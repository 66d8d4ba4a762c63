package dfl.api;

import dfl.diag.Diagnostic;
import dfl.diag.DiagnosticRenderer;
import dfl.source.SourceFile;
import java.util.List;

/**
 * A DFL program did not compile (or data bound from Java does not fit it). Carries every diagnostic
 * as data and their rendering, the same text {@code dfl check} prints; {@link #getMessage()} is that text.
 */
public final class DflCompileException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient List<Diagnostic> diagnostics;
    private final String rendered;

    DflCompileException(SourceFile source, List<Diagnostic> diagnostics) {
        this(List.copyOf(diagnostics), DiagnosticRenderer.renderAll(source, diagnostics));
    }

    private DflCompileException(List<Diagnostic> diagnostics, String rendered) {
        super(rendered);
        this.diagnostics = diagnostics;
        this.rendered = rendered;
    }

    /** Every diagnostic of the compile, errors and warnings, in reading order. */
    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }

    /** Only the errors. */
    public List<Diagnostic> errors() {
        return diagnostics.stream().filter(Diagnostic::isError).toList();
    }

    /** The diagnostics rendered with source excerpts, as {@code dfl check} prints them. */
    public String rendered() {
        return rendered;
    }
}
