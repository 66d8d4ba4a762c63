package dfl.runtime;

import dfl.diag.Code;
import dfl.source.Span;

/**
 * A failure during a run that the user can act on (numerical blow-up, all weights zero, missing
 * model). It carries a diagnostic {@link Code} so the CLI renders it as a diagnostic, not a stack trace,
 * and, where the failure belongs to a term of the program (a network that cannot be loaded or returns the
 * wrong shape), the {@link Span} of that term.
 */
public class DflRuntimeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Code code;
    private final Span span;

    /** A failure with the given code and a message written for the user. */
    public DflRuntimeException(Code code, String message) {
        this(code, message, Span.NONE, null);
    }

    /** A failure with the given code, message and underlying cause. */
    public DflRuntimeException(Code code, String message, Throwable cause) {
        this(code, message, Span.NONE, cause);
    }

    /** A failure of the program's term at {@code span}. */
    public DflRuntimeException(Code code, String message, Span span, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.span = span;
    }

    /** The diagnostic code, e.g. {@link Code#E0303} for a numerical failure. */
    public Code code() {
        return code;
    }

    /** Where in the program the failing term is written; {@link Span#NONE} when the failure is not one term's. */
    public Span span() {
        return span;
    }

    /** This failure placed at {@code at}, unless it already has a place. */
    public DflRuntimeException locatedAt(Span at) {
        return span.isKnown() || !at.isKnown() ? this : new DflRuntimeException(code, getMessage(), at, this);
    }
}
