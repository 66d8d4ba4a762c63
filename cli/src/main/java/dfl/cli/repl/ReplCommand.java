package dfl.cli.repl;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import dfl.cli.Version;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dfl repl}: an interactive session. On a terminal it uses JLine (editing, history, completion);
 * with piped input it reads plain lines without prompts, so sessions can be scripted.
 */
@Command(name = "repl", mixinStandardHelpOptions = true, versionProvider = Version.class, description = "Interactive session: enter statements one by one, then :plan and :run. :help inside lists the commands.")
public final class ReplCommand implements Callable<Integer> {

    @Option(names = "--history", paramLabel = "FILE", description = "history file (default ~/.dfl/history)")
    Path history;

    @Option(names = "--no-history", description = "keep no history between sessions")
    boolean noHistory;

    @Option(names = "--plain", description = "read plain lines even on a terminal (no editing, prompts or completion)")
    boolean plain;

    @Option(names = "--data", paramLabel = "NAME=FILE", description = "bind a .npy, .png or .csv file to NAME at every :run, e.g. --data y=obs.npy")
    java.util.Map<String, Path> data = new java.util.LinkedHashMap<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path cwd = Path.of("").toAbsolutePath();
        if (plain || System.console() == null) {
            BufferedReader r = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            Repl repl = new Repl(LineInput.of(r), out, err, cwd);
            repl.bindData(data);
            return repl.loop();
        }
        Terminal terminal = TerminalBuilder.builder().system(true).build();
        Path file = noHistory ? null : HistoryFile.prepare(history != null ? history : HistoryFile.defaultPath(), err).orElse(null);
        Repl[] repl = new Repl[1];
        try (JLineInput in = new JLineInput(terminal, new ReplCompleter(() -> repl[0] == null ? java.util.List.of() : repl[0].names()), file)) {
            PrintWriter tout = terminal.writer();
            repl[0] = new Repl(in, tout, tout, cwd);
            repl[0].bindData(data);
            return repl[0].loop();
        }
    }
}
