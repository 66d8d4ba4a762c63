package dfl.cli;

/** The CLI's exit codes (sysexits-style where one fits); docs/cli.md lists them and ExitCodesTest runs each. */
public final class ExitCodes {
    public static final int OK = 0;
    /** {@code dfl fmt --check}: some file is not in canonical form (as rustfmt and black report it). */
    public static final int NOT_FORMATTED = 1;
    /** {@code dfl train}: stopped by {@code --max-minutes} after a checkpoint (resume with {@code --resume}). */
    public static final int TRAINING_PAUSED = dfl.models.mnist.Train.EXIT_TIME_LIMIT;
    /** A usage error: unknown option, bad value, missing or unreadable file (sysexits EX_USAGE). */
    public static final int USAGE = 64;
    /** The model or its data has an error, reported as a diagnostic (sysexits EX_DATAERR). */
    public static final int MODEL_ERROR = 65;
    /** Something the command needs is not installed: libtorch for this platform (DFL-E0320), Spark for dfl batch (sysexits EX_UNAVAILABLE). */
    public static final int UNAVAILABLE = 69;
    /** An internal error: a bug in DFL (sysexits EX_SOFTWARE). */
    public static final int INTERNAL = 70;
    /** The output folder could not be written (sysexits EX_IOERR). */
    public static final int IO_ERROR = 74;
    /** The run was interrupted (Ctrl-C; 128 + SIGINT); nothing was written. */
    public static final int INTERRUPTED = 130;

    private ExitCodes() {}
}
