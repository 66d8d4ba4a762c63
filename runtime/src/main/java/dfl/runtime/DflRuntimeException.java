package dfl.runtime;

import dfl.diag.Code;

/**
 * A failure during a run that the user can act on (numerical blow-up, all weights zero, missing
 * model). It carries a diagnostic {@link Code} so the CLI renders it as a diagnostic, not a stack trace.
 */
public class DflRuntimeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Code code;

    /** A failure with the given code and a message written for the user. */
    public DflRuntimeException(Code code, String message) {
        super(message);
        this.code = code;
    }

    /** A failure with the given code, message and underlying cause. */
    public DflRuntimeException(Code code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** The diagnostic code, e.g. {@link Code#E0303} for a numerical failure. */
    public Code code() {
        return code;
    }
}
