package dfl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code ./dfl} command shown in a code block of the README or docs/ runs and exits 0, so the docs cannot
 * rot. Commands run exactly as written, except: {@code run} gets {@code --particles 4 --steps 5 --quiet} and a
 * temporary {@code --out} (the sizes of the docs take minutes; what is checked here is that the command works),
 * {@code repl} is covered by ReplDocTest, {@code batch} by examples' BatchCommandTest, and {@code train} takes hours, and commands on files that are not in the
 * repository (the tutorial's typo.dfl) are skipped.
 */
class DocCommandsTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path out;

    @TestFactory
    Stream<DynamicTest> documentedCommandsRun() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        List<Path> docs = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> s = Files.list(ROOT.resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        for (Path doc : docs) {
            boolean inCode = false;
            int lineNo = 0;
            for (String line : Files.readAllLines(doc)) {
                lineNo++;
                if (line.trim().startsWith("```")) {
                    inCode = !inCode;
                    continue;
                }
                String cmd = line.trim().replaceFirst("^\\$ ", "");
                if (!inCode || !cmd.startsWith("./dfl ")) continue;
                int hash = cmd.indexOf(" #");
                if (hash > 0) cmd = cmd.substring(0, hash);
                List<String> args = new ArrayList<>(Arrays.asList(cmd.substring("./dfl ".length()).trim().split("\\s+")));
                // batch needs Spark, which is not on this module's classpath: examples' BatchCommandTest runs the README's
                if (args.get(0).equals("repl") || args.get(0).equals("train") || args.get(0).equals("batch")) continue;
                if (args.size() > 1 && args.get(1).endsWith(".dfl") && !Files.exists(ROOT.resolve(args.get(1)))) continue;
                String where = ROOT.relativize(doc) + ":" + lineNo;
                List<String> finalArgs = args;
                tests.add(DynamicTest.dynamicTest(where + " " + String.join(" ", args), () -> run(finalArgs, where)));
            }
        }
        assertTrue(tests.size() >= 8, "expected the README and tutorial commands, found " + tests.size());
        return tests.stream();
    }

    private void run(List<String> doc, String where) {
        List<String> args = new ArrayList<>();
        for (int i = 0; i < doc.size(); i++) {
            String a = doc.get(i);
            if (doc.get(0).equals("run") && (a.equals("--particles") || a.equals("--steps") || a.equals("--out"))) {
                i++;
                continue;
            }
            args.add(a);
        }
        if (args.get(0).equals("run")) {
            args.addAll(List.of("--particles", "4", "--steps", "5", "--quiet", "--out", out.resolve("run").toString()));
        }
        CliTest.Outcome o = CliTest.dfl(ROOT, args.toArray(String[]::new));
        assertEquals(0, o.code(), where + ": dfl " + String.join(" ", args) + "\n" + o.err());
    }
}
