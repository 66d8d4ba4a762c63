package dfl.examples.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dfl.runtime.exact.PlanReference;
import dfl.stdlib.runtime.StdlibProvider;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keeps docs/embedding.md true: its code compiles, its example is the real one and prints what is shown. */
class EmbeddingDocTest {

    static final Path DOC = Path.of("../docs/embedding.md");

    /** The fenced blocks of the document with the given info string, in order. */
    static List<String> blocks(String doc, String info) {
        List<String> out = new java.util.ArrayList<>();
        List<String> lines = doc.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).equals("```" + info)) continue;
            StringBuilder b = new StringBuilder();
            for (i++; i < lines.size() && !lines.get(i).equals("```"); i++) b.append(lines.get(i)).append('\n');
            out.add(b.toString());
        }
        return out;
    }

    @Test
    void theShortSnippetCompiles(@TempDir Path dir) throws Exception {
        String snippet = blocks(Files.readString(DOC), "java").get(0);
        String source = "import dfl.api.*;\nimport java.nio.file.Path;\nclass Snippet {\n  static void f() throws Exception {\n" + snippet + "  }\n}\n";
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///Snippet.java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        boolean ok = javac.getTask(new java.io.PrintWriter(diagnostics, true), null, null,
                List.of("-d", dir.toString(), "-classpath", System.getProperty("java.class.path")), null, List.of(file)).call();
        assertTrue(ok, diagnostics.toString(StandardCharsets.UTF_8) + "\n" + source);
    }

    @Test
    void theExampleCodeShownIsTheExamplesCode() throws Exception {
        String shown = blocks(Files.readString(DOC), "java").get(1);
        String real = Files.readString(Path.of("src/main/java/dfl/examples/embed/EmbedPosterior2d.java"));
        assertTrue(real.contains(shown), "docs/embedding.md shows code that is not in EmbedPosterior2d.java:\n" + shown);
    }

    @Test
    void theConsoleOutputShownIsWhatTheExamplePrints(@TempDir Path dir) throws Exception {
        String doc = Files.readString(DOC);
        String console = blocks(doc, "console").get(0);
        List<String> lines = console.lines().toList();
        assertTrue(lines.get(1).strip().endsWith("EmbedPosterior2d examples/toy/posterior2d.dfl -1.5 out/embed"), lines.get(1));
        String shown = String.join("\n", lines.subList(2, lines.size())) + "\n";
        PrintStream before = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            EmbedPosterior2d.main(new String[] {"toy/posterior2d.dfl", "-1.5", dir.resolve("out/embed").toString()});
        } finally {
            System.setOut(before);
        }
        String printed = buf.toString(StandardCharsets.UTF_8).replace(dir.toString() + "/", "");
        assertEquals(normalise(shown), normalise(printed));
        double[] exact = PlanReference.of(dfl.api.Dfl.compile(Files.readString(Path.of("toy/posterior2d.dfl"))
                .replace("y = [1.2];", "y = [-1.5];"), "l.dfl").plan(), StdlibProvider.builder().build()).posterior().mean();
        String stated = String.format(Locale.ROOT, "(%.2f, %.2f)", exact[0], exact[1]).replace("-", "−");
        assertTrue(doc.contains("The exact posterior mean for y = −1.5 is " + stated), "exact mean is " + stated);
    }

    private static String normalise(String s) {
        return s.replaceAll(", \\d+\\.\\d s \\(\\d+\\.\\d s in the model\\)\n", ", <time>\n");
    }
}
