package dfl.cli.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sessions shown in docs/repl.md, run as written, with the output the document shows. */
class ReplDocTest {

    static final Path DOC = Path.of("../docs/repl.md");

    /** The printf one-liners of the document: their input and the output lines printed below them. */
    record Piped(String input, String shown) {}

    static List<Piped> pipedSessions(String doc) {
        List<Piped> out = new ArrayList<>();
        List<String> lines = doc.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (!l.startsWith("$ printf '") || !l.endsWith("' | ./dfl repl")) continue;
            String input = l.substring("$ printf '".length(), l.length() - "' | ./dfl repl".length()).replace("\\n", "\n");
            StringBuilder shown = new StringBuilder();
            for (int j = i + 1; j < lines.size() && !lines.get(j).startsWith("```"); j++) shown.append(lines.get(j)).append('\n');
            out.add(new Piped(input, shown.toString()));
        }
        return out;
    }

    /** Timings and absolute folders differ from run to run. */
    static String normalise(String s) {
        return s.replaceAll(", \\d+\\.\\d s \\(\\d+\\.\\d s in the model\\) → .*", ", <time> → <folder>");
    }

    @Test
    void theIssueOneLinerDefinesPlansAndRuns(@TempDir Path dir) throws Exception {
        Piped p = pipedSessions(Files.readString(DOC)).get(0);
        // the document writes to /tmp/r; the test keeps its output inside its own folder
        ReplHarness.Transcript t = ReplHarness.run(dir, p.input().replace("--out /tmp/r", "--out r"));
        assertEquals(0, t.exit(), t.err());
        assertTrue(t.out().contains("sampler reverse"), t.out());
        assertTrue(t.out().contains("reverse: 8 samples, 10 steps"), t.out());
        assertTrue(Files.exists(dir.resolve("r/samples.npy")));
    }

    @Test
    void theScriptedSessionPrintsWhatTheDocumentShows(@TempDir Path dir) throws Exception {
        List<String> lines = Files.readString(DOC).lines().toList();
        int start = lines.indexOf("$ ./dfl repl <<'EOF'");
        int end = lines.subList(start, lines.size()).indexOf("EOF") + start;
        String script = String.join("\n", lines.subList(start + 1, end)) + "\n";
        int text = lines.subList(end, lines.size()).indexOf("```text") + end;
        int close = lines.subList(text + 1, lines.size()).indexOf("```") + text + 1;
        String shown = String.join("\n", lines.subList(text + 1, close)) + "\n";
        ReplHarness.Transcript t = ReplHarness.run(dir, script);
        assertEquals(0, t.exit(), t.err());
        // both runs keep every lineage (256 distinct samples), so nothing is warned about
        assertEquals("", t.err());
        assertEquals(normalise(shown), normalise(t.out()));
        assertTrue(Files.exists(dir.resolve("out/session-sharp/summary.json")));
    }

    @Test
    void theMistakeIsReportedAsShown(@TempDir Path dir) throws Exception {
        Piped p = pipedSessions(Files.readString(DOC)).get(1);
        ReplHarness.Transcript t = ReplHarness.run(dir, p.input());
        assertEquals(65, t.exit());
        assertEquals(p.shown(), t.err());
    }
}
