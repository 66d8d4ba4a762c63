package dfl.runtime;

import dfl.diag.Code;
import dfl.source.Span;

/**
 * A failure during a run that the user can act on (numerical blow-up, all weights zero, missing
 * model). It carries a diagnostic {@link Code} so the CLI renders it as a diagnostic, not a stack trace.
 */
public class DflRuntimeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Code code;
    private final Span span;

    /** A failure with the given code and a message written for the user. */
    public DflRuntimeException(Code code, String message) {
        this(code, Span.NONE, message);
    }

    /** A failure located at {@code span} of the program (e.g. the data of an observation), with a message for the user. */
    public DflRuntimeException(Code code, Span span, String message) {
        super(message);
        this.code = code;
        this.span = span;
    }

    /** A failure with the given code, message and underlying cause. */
    public DflRuntimeException(Code code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.span = Span.NONE;
    }

    /** The diagnostic code, e.g. {@link Code#E0303} for a numerical failure. */
    public Code code() {
        return code;
    }

    /** Where in the program the failure lies, or {@link Span#NONE} when it is not one place. */
    public Span span() {
        return span;
    }
}
