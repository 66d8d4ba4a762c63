package dfl.diag;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dfl.source.SourceFile;
import dfl.source.Span;
import java.util.List;
import org.junit.jupiter.api.Test;

class DiagnosticRendererTest {

    private static final SourceFile M = new SourceFile("m.dfl", """
            prior = diffusion("mnist");
            prior = diffusion("mnist");
            observe y ~ Normal(G(x), prior);
            """);

    @Test
    void rendersTheDesignFormat() {
        Diagnostic d = Diagnostic.error(Code.E0107, new Span(3, 17, 3, 26), "The message.", "Did you mean 'σ'?");
        assertEquals("""
                Error[DFL-E0107] in 'm.dfl', line 3, column 17 to column 26:
                   2 | prior = diffusion("mnist");
                   3 | observe y ~ Normal(G(x), prior);
                     |                 ^^^^^^^^^^
                The message.
                Did you mean 'σ'?""", DiagnosticRenderer.render(M, d));
    }

    @Test
    void headerForms() {
        assertEquals("Warning[DFL-W0001] in 'm.dfl', line 1, column 1:",
                DiagnosticRenderer.header(M, Diagnostic.warning(Code.W0001, Span.at(1, 1), "m")));
        assertEquals("Error[DFL-E0003] in 'm.dfl', line 1, column 2 to line 3, column 4:",
                DiagnosticRenderer.header(M, Diagnostic.error(Code.E0003, new Span(1, 2, 3, 4), "m")));
        assertEquals("Error[DFL-E0201] in 'm.dfl':\nno sample statement.\nAdd 'sample x;'.",
                DiagnosticRenderer.render(M, Diagnostic.error(Code.E0201, Span.NONE, "no sample statement.", "Add 'sample x;'.")));
    }

    @Test
    void firstLineHasNoLineBeforeAndMultiLineSpansUnderlineTheFirstLine() {
        Diagnostic d = Diagnostic.error(Code.E0003, new Span(1, 9, 2, 5), "m");
        assertEquals("""
                Error[DFL-E0003] in 'm.dfl', line 1, column 9 to line 2, column 5:
                   1 | prior = diffusion("mnist");
                     |         ^^^^^^^^^^^^^^^^^^^
                   2 | prior = diffusion("mnist");
                m""", DiagnosticRenderer.render(M, d));
    }

    @Test
    void caretStaysUnderTheRightCharacterWithTabsGreekAndWideLetters() {
        SourceFile src = new SourceFile("t.dfl", "\tσ =\tγ + 変数 + x;");
        // columns: 1 tab, 2 σ, 3 ' ', 4 '=', 5 tab, 6 γ, 7 ' ', 8 '+', 9 ' ', 10 変, 11 数, 12 ' ', 13 '+', 14 ' ', 15 x
        String out = DiagnosticRenderer.render(src, Diagnostic.error(Code.E0101, Span.at(1, 15), "m"));
        assertEquals("""
                Error[DFL-E0101] in 't.dfl', line 1, column 15:
                   1 |     σ = γ + 変数 + x;
                     |                    ^
                m""", out);
        String wide = DiagnosticRenderer.render(src, Diagnostic.error(Code.E0101, new Span(1, 10, 1, 11), "m"));
        assertEquals("     |             ^^^^", wide.split("\n")[2]);
        String greek = DiagnosticRenderer.render(src, Diagnostic.error(Code.E0101, Span.at(1, 6), "m"));
        assertEquals("     |         ^", greek.split("\n")[2]);
    }

    @Test
    void positionPastTheEndOfTheLineGetsOneCaret() {
        SourceFile src = new SourceFile("t.dfl", "y = 1");
        assertEquals("     |      ^", DiagnosticRenderer.render(src, Diagnostic.error(Code.E0003, Span.at(1, 6), "m")).split("\n")[2]);
    }

    @Test
    void gutterWidensForLongFiles() {
        SourceFile src = new SourceFile("t.dfl", "a;\n".repeat(12345));
        String out = DiagnosticRenderer.render(src, Diagnostic.error(Code.E0003, Span.at(12345, 1), "m"));
        assertEquals(List.of("Error[DFL-E0003] in 't.dfl', line 12345, column 1:", "12344 | a;", "12345 | a;", "      | ^", "m"),
                List.of(out.split("\n")));
    }

    @Test
    void renderAllSeparatesWithBlankLinesAndSummaryCounts() {
        Diagnostic e = Diagnostic.error(Code.E0201, Span.NONE, "a");
        Diagnostic w = Diagnostic.warning(Code.W0001, Span.NONE, "b");
        assertEquals("Error[DFL-E0201] in 'm.dfl':\na\n\nWarning[DFL-W0001] in 'm.dfl':\nb", DiagnosticRenderer.renderAll(M, List.of(e, w)));
        assertEquals("2 errors, 1 warning", DiagnosticRenderer.summary(List.of(e, e, w)));
        assertEquals("1 error", DiagnosticRenderer.summary(List.of(e)));
        assertEquals("2 warnings", DiagnosticRenderer.summary(List.of(w, w)));
        assertEquals("no errors", DiagnosticRenderer.summary(List.of()));
    }

    @Test
    void controlCharactersAreNotSentToTheTerminal() {
        SourceFile src = new SourceFile("t.dfl", "a\u0007b");
        assertEquals("   1 | a\uFFFDb", DiagnosticRenderer.render(src, Diagnostic.error(Code.E0001, Span.at(1, 2), "m")).split("\n")[1]);
    }
}
