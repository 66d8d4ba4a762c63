package dfl.cli.repl;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Where the REPL's lines come from: a terminal (JLine) or a pipe. */
interface LineInput extends AutoCloseable {

    /** Thrown when the user pressed Ctrl-C at the prompt: the line being typed is dropped. */
    final class Interrupted extends Exception {
        private static final long serialVersionUID = 1L;
    }

    /** The next line without its line break, or null at the end of input (Ctrl-D). */
    String readLine(String prompt) throws Interrupted;

    /** Whether a person is typing (prompts, progress display and Ctrl-C handling make sense). */
    boolean interactive();

    /** Installs {@code onInterrupt} as the Ctrl-C action until the returned handle is closed (a run in progress). */
    default AutoCloseable onInterrupt(Runnable onInterrupt) {
        return () -> {};
    }

    @Override
    default void close() {}

    /** Lines from a reader, without prompts: for piped input and tests. */
    static LineInput of(BufferedReader reader) {
        return new LineInput() {
            @Override
            public String readLine(String prompt) {
                try {
                    return reader.readLine();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public boolean interactive() {
                return false;
            }
        };
    }
}
