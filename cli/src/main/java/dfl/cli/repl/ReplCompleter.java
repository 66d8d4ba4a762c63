package dfl.cli.repl;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import org.jline.reader.impl.completer.FileNameCompleter;

/**
 * Tab completion: commands after a leading ':', file names after {@code :load} and {@code :save}, names after {@code :show};
 * elsewhere built-ins, names bound in the session, keywords, samplers and their arguments.
 */
final class ReplCompleter implements Completer {

    private final Supplier<List<String>> names;
    private final FileNameCompleter files = new FileNameCompleter();

    ReplCompleter(Supplier<List<String>> names) {
        this.names = names;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        String text = line.line();
        String before = text.substring(0, Math.min(line.cursor(), text.length())).stripLeading();
        if (before.startsWith(":load ") || before.startsWith(":save ")) {
            files.complete(reader, line, candidates);
            return;
        }
        if (before.startsWith(":show ")) {
            for (String n : names.get()) candidates.add(new Candidate(n, n, null, "bound in this session", null, null, true));
            return;
        }
        if (before.startsWith(":")) {
            if (line.wordIndex() == 0) {
                for (Map.Entry<String, String> c : Repl.COMMANDS.entrySet()) {
                    candidates.add(new Candidate(c.getKey(), c.getKey(), null, c.getValue(), null, null, true));
                }
            }
            return;
        }
        for (Map.Entry<String, String> w : Completions.all(names.get()).entrySet()) {
            candidates.add(new Candidate(w.getKey(), w.getKey(), null, w.getValue(), null, null, false));
        }
    }
}
