package dfl.cli;

import java.io.PrintWriter;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code dfl} command: check, plan, format, run and summarise DFL models. Exit codes are in {@link ExitCodes} and
 * docs/cli.md.
 */
@Command(name = "dfl", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "DFL: conditional and compositional sampling from diffusion models.",
        subcommands = {CheckCommand.class, PlanCommand.class, FmtCommand.class, RunCommand.class, BatchCommand.class, SummaryCommand.class, ModelsCommand.class,
                TrainCommand.class, dfl.cli.repl.ReplCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {
                "0:success", "1:dfl fmt --check: a file is not formatted", "3:dfl train: stopped by --max-minutes after a checkpoint",
                "64:usage: an unknown option, a missing or unreadable file", "65:the model or its data has an error (a diagnostic)",
                "69:not installed: libtorch for this platform (DFL-E0320), or Spark for dfl batch", "70:internal error (a bug in DFL)",
                "74:the output folder cannot be written", "130:cancelled (Ctrl-C); nothing was written"})
public final class Main implements Runnable {

    /** When diagnostics and help are colored. */
    enum ColorMode { auto, always, never }

    /** How diagnostics are printed. */
    enum MessageFormat { human, json }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--color", paramLabel = "WHEN", scope = ScopeType.INHERIT, defaultValue = "auto",
            description = "color diagnostics and help: auto (on a terminal, unless NO_COLOR is set), always or never")
    ColorMode color = ColorMode.auto;

    @Option(names = "--message-format", paramLabel = "FORMAT", scope = ScopeType.INHERIT, defaultValue = "human",
            description = "diagnostics as text (human) or as one JSON object per line on stderr (json)")
    MessageFormat messageFormat = MessageFormat.human;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Whether to color: {@code --color}, else on a terminal unless {@code NO_COLOR} is set (https://no-color.org). */
    boolean colorEnabled() {
        return colorEnabled(color, System.getenv("NO_COLOR"), System.console() != null, System.getenv("TERM"));
    }

    static boolean colorEnabled(ColorMode mode, String noColor, boolean terminal, String term) {
        return switch (mode) {
            case always -> true;
            case never -> false;
            case auto -> (noColor == null || noColor.isEmpty()) && terminal && !"dumb".equals(term);
        };
    }

    boolean jsonMessages() {
        return messageFormat == MessageFormat.json;
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

    /** The command line with every subcommand, including {@code completion} (picocli's bash/zsh script generator). */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        CommandLine completion = new CommandLine(new AutoComplete.GenerateCompletion()).setCommandName("completion");
        completion.getCommandSpec().usageMessage().hidden(false).description(
                "Print a bash/zsh completion script for dfl: source <(dfl completion), or save it in /etc/bash_completion.d/dfl.");
        cl.addSubcommand("completion", completion);
        return cl;
    }

    /** Runs the CLI with the given streams and returns the exit code (used by tests and the REPL). */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        try {
            return configure(commandLine(), out, err).execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** {@code cl} with its streams, exit codes, colors and the handler of internal errors, ready to execute. */
    static CommandLine configure(CommandLine cl, PrintWriter out, PrintWriter err) {
        Offline.enforce();
        cl.setOut(out);
        cl.setErr(err);
        setExitCodes(cl);
        Main main = cl.getCommand();
        // help and usage colors follow --color and NO_COLOR like diagnostics (decided once the options are parsed)
        cl.setColorScheme(colors(main));
        cl.setExecutionStrategy(parsed -> {
            cl.setColorScheme(colors(main));
            return new CommandLine.RunLast().execute(parsed);
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> internalError(ex, commandLine.getErr()));
        return cl;
    }

    private static CommandLine.Help.ColorScheme colors(Main main) {
        return CommandLine.Help.defaultColorScheme(main.colorEnabled() ? CommandLine.Help.Ansi.ON : CommandLine.Help.Ansi.OFF);
    }

    /** An exception no command handled: exit 70, the stack trace only with DFL_DEBUG set. */
    static int internalError(Exception ex, PrintWriter err) {
        err.println("dfl: internal error: " + ex);
        err.println("This is a bug in DFL, not in your model. Run with DFL_DEBUG=1 for the stack trace.");
        if (System.getenv("DFL_DEBUG") != null) ex.printStackTrace(err);
        return ExitCodes.INTERNAL;
    }
}
