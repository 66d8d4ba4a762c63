package dfl.cli.repl;

import java.io.IOException;
import java.nio.file.Path;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;

/** Lines from a terminal through JLine: editing, history, completion and Ctrl-C handling. */
final class JLineInput implements LineInput {

    private final Terminal terminal;
    private final LineReader reader;

    /**
     * @param history the history file, or null for no history kept between sessions
     */
    JLineInput(Terminal terminal, ReplCompleter completer, Path history) {
        this.terminal = terminal;
        LineReaderBuilder b = LineReaderBuilder.builder().terminal(terminal).appName("dfl").completer(completer).parser(new WordParser())
                .variable(LineReader.HISTORY_SIZE, 2000).variable(LineReader.HISTORY_FILE_SIZE, 5000)
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .option(LineReader.Option.HISTORY_IGNORE_DUPS, true)
                // continuation lines of a statement often start with spaces and belong in the history too
                .option(LineReader.Option.HISTORY_IGNORE_SPACE, false);
        if (history != null) b.variable(LineReader.HISTORY_FILE, history);
        this.reader = b.build();
    }

    @Override
    public String readLine(String prompt) throws Interrupted {
        try {
            return reader.readLine(prompt);
        } catch (UserInterruptException e) {
            throw new Interrupted();
        } catch (EndOfFileException e) {
            return null;
        }
    }

    @Override
    public boolean interactive() {
        return true;
    }

    @Override
    public AutoCloseable onInterrupt(Runnable onInterrupt) {
        Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.INT, s -> onInterrupt.run());
        return () -> terminal.handle(Terminal.Signal.INT, previous);
    }

    @Override
    public void close() {
        try {
            reader.getHistory().save();
        } catch (IOException | RuntimeException e) {
            // losing history must not turn leaving the REPL into an error
        }
        try {
            terminal.close();
        } catch (IOException e) {
            // nothing more to do on the way out
        }
    }
}
