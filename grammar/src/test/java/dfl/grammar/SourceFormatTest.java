package dfl.grammar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dfl.ast.Printer;
import dfl.ast.Program;
import dfl.ast.Spans;
import dfl.ast.Stmt;
import dfl.source.SourceFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** dfl fmt keeps every comment, in order, and the program (issue 14: it dropped comments). */
class SourceFormatTest {

    @Test
    void commentsStayWhereTheyBelong() {
        String src = """
                // a model
                prior=diffusion(gmm(means=[[0,0]],std=1));   // the prior


                /* the data */ y = [1.2];
                A = [[1.0, /* row */ 0.5]];
                observe y ~ Normal(A @ x, 0.3);
                sample x with tds(particles = 8);
                // the end
                """;
        String formatted = SourceFormat.format(new SourceFile("m.dfl", src)).orElseThrow();
        assertEquals("""
                // a model
                prior = diffusion(gmm(means = [[0, 0]], std = 1));  // the prior

                /* the data */
                y = [1.2];
                A = [[1.0, /* row */ 0.5]];
                observe y ~ Normal(A @ x, 0.3);
                sample x with tds(particles = 8);
                // the end
                """, formatted);
        assertEquals(formatted, SourceFormat.format(new SourceFile("m.dfl", formatted)).orElseThrow(), "idempotent");
    }

    @Test
    void everyExampleKeepsItsCommentsAndItsProgram() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize().resolve("examples");
        int files = 0;
        try (var s = Files.walk(root)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".dfl") && !p.toString().contains("/target/")).toList()) {
                check(Files.readString(f));
                files++;
            }
        }
        assertTrue(files >= 5, "examples found: " + files);
    }

    @Property(tries = 300, seed = "20261129")
    void formattingKeepsCommentsAndTheTree(@ForAll("commented") String text) {
        check(text);
    }

    @Test
    void aSourceThatDoesNotParseIsNotFormatted() {
        assertTrue(SourceFormat.format(new SourceFile("bad.dfl", "x = ;\n")).isEmpty());
    }

    private static void check(String text) {
        SourceFile src = new SourceFile("t.dfl", text);
        String formatted = SourceFormat.format(src).orElseThrow(() -> new AssertionError("does not parse:\n" + text));
        SourceFile out = new SourceFile("t.dfl", formatted);
        assertEquals(texts(Parse.comments(src)), texts(Parse.comments(out)), "comments, in order:\n" + text + "\n---\n" + formatted);
        assertEquals(Spans.strip(Parse.program(src).program().orElseThrow()), Spans.strip(Parse.program(out).program().orElseThrow()),
                formatted);
        assertEquals(formatted, SourceFormat.format(out).orElseThrow(), "idempotent");
    }

    private static List<String> texts(List<Comment> cs) {
        return cs.stream().map(Comment::text).toList();
    }

    /** Generated programs printed with comments before statements, after them, inside bindings, and blank lines. */
    @Provide
    Arbitrary<String> commented() {
        Arbitrary<Program> programs = AstArbitraries.programs();
        Arbitrary<List<Integer>> choices = Arbitraries.integers().between(0, 5).list().ofSize(40);
        return Combinators.combine(programs, choices).as((program, c) -> {
            StringBuilder sb = new StringBuilder();
            int k = 0;
            int n = 0;
            for (Stmt s : program.statements()) {
                String stmt = Printer.print(s);
                int pick = c.get(k++ % c.size());
                if (pick == 1) sb.append("// before ").append(n++).append('\n');
                if (pick == 2) sb.append("/* block\n   ").append(n++).append(" */\n\n");
                if (pick == 3 && (s instanceof Stmt.Binding || s instanceof Stmt.FunctionDef)) {
                    stmt = stmt.replaceFirst(" = ", " = /* inside " + n++ + " */ ");
                }
                sb.append(stmt);
                if (pick == 4) sb.append("   // after ").append(n++);
                sb.append('\n');
                if (pick == 5) sb.append("\n\n");
            }
            return sb.toString();
        });
    }
}
