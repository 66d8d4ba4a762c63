package dfl.cli.repl;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;

/** Runs a scripted REPL session in-process and captures what it prints. */
final class ReplHarness {

    record Transcript(int exit, String out, String err) {}

    private ReplHarness() {}

    static Transcript run(Path cwd, String script) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        Repl repl = new Repl(LineInput.of(new BufferedReader(new StringReader(script))), new PrintWriter(out, true),
                new PrintWriter(err, true), cwd);
        int exit = repl.loop();
        return new Transcript(exit, out.toString(), err.toString());
    }
}
