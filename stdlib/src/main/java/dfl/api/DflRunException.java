package dfl.api;

import dfl.diag.Code;

/**
 * A run failed for a reason the model's author can act on: a data file that cannot be read (E0301),
 * data that does not fit (E0302), a numerical failure (E0303), all weights zero (E0304), an unknown
 * model (E0305), or a file outside the data root (E0306). {@link #code()} says which.
 */
public final class DflRunException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Code code;

    DflRunException(Code code, String message, Throwable cause) {
        super(code.printed() + ": " + message, cause);
        this.code = code;
    }

    /** The diagnostic code, e.g. {@link Code#E0306}. */
    public Code code() {
        return code;
    }
}
