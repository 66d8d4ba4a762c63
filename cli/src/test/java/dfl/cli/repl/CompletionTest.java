package dfl.cli.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dfl.compiler.CompileResult;
import dfl.compiler.Compiler;
import dfl.diag.Code;
import dfl.diag.Diagnostic;
import dfl.source.SourceFile;
import dfl.stdlib.Stdlib;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jline.reader.Candidate;
import org.jline.reader.ParsedLine;
import org.jline.reader.Parser;
import org.junit.jupiter.api.Test;

/** Tab completion, and the hand-written sampler word lists checked against the compiler's catalog. */
class CompletionTest {

    private static List<String> complete(String line, List<String> names) {
        ParsedLine parsed = new WordParser().parse(line, line.length(), Parser.ParseContext.COMPLETE);
        List<Candidate> out = new ArrayList<>();
        new ReplCompleter(() -> names).complete(null, parsed, out);
        String word = parsed.word().substring(0, parsed.wordCursor());
        return out.stream().map(Candidate::value).filter(v -> v.startsWith(word)).toList();
    }

    @Test
    void completesSamplerArgumentsInsideACall() {
        assertEquals(List.of("particles"), complete("sample x with tds(par", List.of()));
        assertTrue(complete("sample x with t", List.of()).contains("tds"));
    }

    @Test
    void completesBuiltinsSessionNamesAndCommands() {
        assertTrue(complete("prior = diff", List.of()).contains("diffusion"));
        assertEquals(List.of("σ"), complete("observe y ~ Normal(G(x), σ", List.of("σ", "y")));
        assertEquals(List.of(":plan"), complete(":pl", List.of()));
        assertEquals(List.of("prior"), complete(":show pr", List.of("prior", "y")));
    }

    /** The compiler lists a call's real parameters in the hint of an unknown-argument error. */
    private static Set<String> parameters(String call) {
        String src = "prior = diffusion(gmm(means = [[0, 0]], std = 1));\nsample x with " + call + ";\n";
        CompileResult r = Compiler.builder().setBuiltins(Stdlib.registry()).build().compile(new SourceFile("t.dfl", src));
        Set<String> names = new TreeSet<>();
        for (Diagnostic d : r.diagnostics()) {
            if (d.code() != Code.E0105) continue;
            for (String h : d.hints()) {
                if (!h.startsWith("Parameters: ")) continue;
                String inside = h.substring(h.indexOf('(') + 1, h.lastIndexOf(')'));
                for (String p : inside.split(",\\s*")) if (!p.isBlank() && !p.equals("...")) names.add(p.replace("?", "").strip());
            }
        }
        return names;
    }

    @Test
    void samplerWordListsMatchTheCompilersCatalog() {
        Set<String> real = new TreeSet<>();
        for (String s : Completions.SAMPLERS) {
            Set<String> ps = parameters(s + "(zzzz = 1)");
            assertTrue(ps.contains("particles"), s + " must be a sampler the compiler knows: " + ps);
            real.addAll(ps);
        }
        for (String k : Completions.KERNELS) {
            Set<String> ps = parameters("annealed(kernel = " + k + "(zzzz = 1))");
            real.addAll(ps);
        }
        real.addAll(parameters("annealed(mh = line_integral(zzzz = 1))"));
        assertEquals(real, new TreeSet<>(Completions.SAMPLER_ARGS));
    }
}
