package dfl.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code dfl} command: check, plan, format and run DFL models. Exit codes: 0 ok, 64 usage,
 * 65 model error, 70 internal error.
 */
@Command(name = "dfl", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "DFL: conditional and compositional sampling from diffusion models.",
        subcommands = {CheckCommand.class, PlanCommand.class, FmtCommand.class, RunCommand.class, BatchCommand.class, ModelsCommand.class, TrainCommand.class,
                dfl.cli.repl.ReplCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    private static void setExitCodes(CommandLine cl) {
        cl.getCommandSpec().exitCodeOnInvalidInput(ExitCodes.USAGE);
        cl.getCommandSpec().exitCodeOnExecutionException(ExitCodes.INTERNAL);
        cl.getSubcommands().values().forEach(Main::setExitCodes);
    }

    public static void main(String[] args) {
        Offline.enforce();
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, java.nio.charset.StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, java.nio.charset.StandardCharsets.UTF_8), true);
        int code = execute(args, out, err);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /**
     * Runs the CLI as if started in folder {@code cwd}: relative file arguments resolve there while
     * messages show them as given (used by golden tests).
     */
    public static int executeIn(java.nio.file.Path cwd, String[] args, PrintWriter out, PrintWriter err) {
        java.nio.file.Path before = Sources.base;
        Sources.base = cwd;
        try {
            return execute(args, out, err);
        } finally {
            Sources.base = before;
        }
    }

    /** Runs the CLI with the given streams and returns the exit code (used by tests and the REPL). */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        Offline.enforce();
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        setExitCodes(cl);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println("dfl: internal error: " + ex);
            commandLine.getErr().println("This is a bug in DFL, not in your model. Run with DFL_DEBUG=1 for the stack trace.");
            if (System.getenv("DFL_DEBUG") != null) ex.printStackTrace(commandLine.getErr());
            return ExitCodes.INTERNAL;
        });
        try {
            return cl.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }
}
