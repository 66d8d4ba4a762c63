package dfl.cli;

/** The CLI's exit codes (sysexits-style, as documented in DESIGN §1). */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int USAGE = 64;
    public static final int MODEL_ERROR = 65;
    public static final int INTERNAL = 70;
    /** The output folder could not be written (sysexits EX_IOERR). */
    public static final int IO_ERROR = 74;
    /** The run was interrupted (Ctrl-C; 128 + SIGINT); nothing was written. */
    public static final int INTERRUPTED = 130;

    private ExitCodes() {}
}
