package dfl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dfl.compiler.CompileResult;
import dfl.compiler.Compiler;
import dfl.source.SourceFile;
import dfl.stdlib.Stdlib;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The whole front end (parse, resolve, typecheck, composition rules, lowering) never throws on any
 * input: mutated real programs and token soups give diagnostics or a plan, and a plan only without errors.
 */
class CompilerNeverCrashesProperties {

    private static final Compiler COMPILER = Compiler.builder().setBuiltins(Stdlib.registry()).build();
    private static final List<String> CORPUS = corpus();
    private static final List<String> TOKENS = List.of("prior", "x", "y", "G", "(", ")", "[", "]", ",", ";", "=", "~", "*", "^", "+",
            "-", "/", "@", "observe", "compose", "sample", "with", "into", "diffusion", "gmm", "classifier", "tds", "annealed", "hmc",
            "mix", "Normal", "mask", "load", "\"mnist\"", "\"top-half\"", "0", "1.5", "-2", "28", "label", "=", "means", "std", "σ", "γ",
            "[[1, 0.5]]", "particles", "mh", "energy", "line_integral", "ring", "8", "Poisson", "Bernoulli", "StudentT", "Laplace", "exp", "log",
            "sum", "axis", "reshape", "shape", "conv2d", "abs_fft2", "-1");

    private static List<String> corpus() {
        List<String> out = new ArrayList<>();
        for (Path dir : List.of(Path.of("../examples"), Path.of("src/test/resources/golden"))) {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.filter(p -> p.toString().endsWith(".dfl")).sorted().toList()) out.add(Files.readString(p));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    private static void compilesWithoutThrowing(String text) {
        CompileResult r = COMPILER.compile(new SourceFile("fuzz.dfl", text));
        assertEquals(r.hasErrors(), r.plan().isEmpty(), "a plan must exist exactly when there are no errors");
        r.diagnostics().forEach(d -> assertTrue(d.message() != null && !d.message().isBlank()));
    }

    @Property(tries = 4000)
    void mutatedProgramsGiveDiagnosticsNotExceptions(@ForAll("mutants") String text) {
        compilesWithoutThrowing(text);
    }

    @Property(tries = 2000)
    void tokenSoupsGiveDiagnosticsNotExceptions(@ForAll("soups") String text) {
        compilesWithoutThrowing(text);
    }

    @Provide
    Arbitrary<String> mutants() {
        Arbitrary<String> base = Arbitraries.of(CORPUS);
        Arbitrary<Integer> kind = Arbitraries.integers().between(0, 3);
        Arbitrary<Double> where = Arbitraries.doubles().between(0, 1);
        Arbitrary<String> token = Arbitraries.of(TOKENS);
        return Combinators.combine(base, kind, where, where, token).as(CompilerNeverCrashesProperties::mutate);
    }

    @Provide
    Arbitrary<String> soups() {
        return Arbitraries.of(TOKENS).list().ofMinSize(1).ofMaxSize(40).map(l -> String.join(" ", l));
    }

    private static String mutate(String src, int kind, double a, double b, String token) {
        int i = (int) (a * src.length());
        int j = Math.min(src.length(), i + 1 + (int) (b * 12));
        return switch (kind) {
            case 0 -> src.substring(0, i) + src.substring(j);                 // delete a span
            case 1 -> src.substring(0, i) + " " + token + " " + src.substring(i); // insert a token
            case 2 -> src.substring(0, i) + token + src.substring(j);          // replace a span
            default -> src.substring(0, i) + src.substring(i, j) + src.substring(i); // duplicate a span
        };
    }
}
