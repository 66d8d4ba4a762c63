package dfl.grammar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dfl.ast.Printer;
import dfl.ast.Spans;
import dfl.diag.Code;
import dfl.diag.Diagnostic;
import dfl.diag.DiagnosticRenderer;
import dfl.source.SourceFile;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * Whatever the input, parsing returns a program or diagnostics and never throws; diagnostics point
 * into the source, render, and never show token sets. 10,500 tries in all.
 */
class FuzzPropertiesTest {

    private static final Set<Code> SYNTAX_CODES = EnumSet.of(Code.E0001, Code.E0002, Code.E0003, Code.E0004, Code.E0005, Code.E0006);

    private static final List<String> VALID = List.of(ParserTest.CARD, ParserTest.CLASS7, ParserTest.INPAINT,
            ParserTest.POSTERIOR2D, ParserTest.PRODUCT);

    private static final String[] PIECES = {"(", ")", "[", "]", ",", ";", "=", "~", "+", "-", "*", "/", "^", "@", "**",
        "observe", "compose", "sample", "with", "into", "x", "σ", "f(", "1", "0.5", "1e-3", ".5", "1e", "\"s\"", "\"",
        "/*", "*/", "//", "\n", " ", "\t", "$", "{", "}", "'", "\\", "−", "2x"};

    @Property(tries = 3000, seed = "1")
    void arbitraryUnicodeTextNeverThrows(@ForAll String text) {
        check(text);
    }

    @Property(tries = 3500, seed = "2")
    void tokenSoupNeverThrows(@ForAll("soup") String text) {
        check(text);
    }

    @Property(tries = 4000, seed = "3")
    void mutatedValidProgramsNeverThrow(@ForAll("mutated") String text) {
        check(text);
    }

    @Provide
    Arbitrary<String> soup() {
        return Arbitraries.of(PIECES).list().ofMaxSize(40).map(l -> String.join("", l));
    }

    /** A design example with one to four character- or token-level deletions, insertions, swaps or duplications. */
    @Provide
    Arbitrary<String> mutated() {
        return Arbitraries.randomValue(random -> mutate(VALID.get(random.nextInt(VALID.size())), random));
    }

    static String mutate(String text, Random random) {
        StringBuilder sb = new StringBuilder(text);
        int n = 1 + random.nextInt(4);
        for (int k = 0; k < n && sb.length() > 0; k++) {
            int i = random.nextInt(sb.length());
            int len = 1 + random.nextInt(Math.min(8, sb.length() - i));
            switch (random.nextInt(5)) {
                case 0 -> sb.delete(i, i + len);
                case 1 -> sb.insert(i, PIECES[random.nextInt(PIECES.length)]);
                case 2 -> sb.insert(i, (char) random.nextInt(0x3000));
                case 3 -> {
                    int j = random.nextInt(sb.length());
                    char c = sb.charAt(i);
                    sb.setCharAt(i, sb.charAt(j));
                    sb.setCharAt(j, c);
                }
                default -> sb.insert(random.nextInt(sb.length()), sb.substring(i, i + len));
            }
        }
        return sb.toString();
    }

    static void check(String text) {
        SourceFile src = new SourceFile("fuzz.dfl", text);
        ParseResult r = Parse.program(src);
        assertEquals(r.program().isPresent(), r.diagnostics().isEmpty(), "a tree exactly when there are no errors");
        if (r.incomplete()) assertFalse(r.diagnostics().isEmpty());
        int lines = Math.max(1, src.lines().size());
        for (Diagnostic d : r.diagnostics()) {
            assertTrue(SYNTAX_CODES.contains(d.code()), d.toString());
            if (d.span().isKnown()) {
                assertTrue(d.span().startLine() >= 1 && d.span().startLine() <= lines + 1, d.toString());
                assertTrue(d.span().startColumn() >= 1, d.toString());
            }
            String m = d.message();
            if (d.code() == Code.E0003) {
                // The "expected ..." part is ours; what follows ", found" may quote the user's text.
                assertTrue(m.startsWith("expected ") && m.contains(", found "), m);
                String expected = m.substring(0, m.indexOf(", found "));
                assertFalse(expected.contains("{") || expected.contains("<EOF>") || expected.contains("mismatched")
                        || expected.contains("viable") || expected.contains("something else"), m);
            }
        }
        DiagnosticRenderer.renderAll(src, r.diagnostics());
        r.program().ifPresent(p -> {
            String printed = Printer.print(p);
            ParseResult again = Parse.program(new SourceFile("printed.dfl", printed));
            assertEquals(Spans.strip(p), Spans.strip(again.program().orElseThrow()), printed);
        });
    }

    /**
     * Every prefix of a valid program that ends at a token boundary is either valid or reported as
     * incomplete: the REPL can keep reading lines. Checks every such prefix of the design examples.
     */
    @Test
    void everyPrefixOfAValidProgramIsValidOrIncomplete() {
        for (String program : VALID) {
            List<Integer> cuts = tokenEnds(program);
            for (int cut : cuts) {
                String prefix = program.substring(0, cut);
                ParseResult r = Parse.program(new SourceFile("prefix.dfl", prefix));
                assertTrue(r.program().isPresent() || r.incomplete(),
                        () -> "prefix not incomplete:\n" + prefix + "\n" + DiagnosticRenderer.renderAll(new SourceFile("p", prefix), r.diagnostics()));
            }
        }
    }

    private static List<Integer> tokenEnds(String text) {
        DflLexer lexer = new DflLexer(org.antlr.v4.runtime.CharStreams.fromString(text));
        List<Integer> ends = new ArrayList<>();
        for (var t = lexer.nextToken(); t.getType() != org.antlr.v4.runtime.Token.EOF; t = lexer.nextToken()) {
            // Token indices are code points; these programs' non-BMP-free text makes them char offsets.
            ends.add(text.offsetByCodePoints(0, t.getStopIndex() + 1));
        }
        return ends;
    }
}
