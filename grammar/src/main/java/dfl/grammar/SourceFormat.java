package dfl.grammar;

import dfl.ast.Printer;
import dfl.ast.Program;
import dfl.ast.Stmt;
import dfl.source.SourceFile;
import dfl.source.Span;
import java.util.List;
import java.util.Optional;

/**
 * {@code dfl fmt}: a program in canonical form ({@link Printer}, one statement per line) with its comments kept. A
 * comment on its own lines stays before the statement that follows it; one after a statement on its last line stays at
 * the end of that line; a statement with a comment inside it is kept as written, so no comment is ever dropped or moved
 * into another statement. One blank line is kept where the source had one or more between statements or comments.
 * Formatting twice gives the same text.
 */
public final class SourceFormat {

    private SourceFormat() {}

    /** The formatted text, or empty when the source does not parse (its diagnostics come from {@link Parse#program}). */
    public static Optional<String> format(SourceFile src) {
        ParseResult parsed = Parse.program(src);
        if (parsed.program().isEmpty() || !parsed.diagnostics().isEmpty()) return Optional.empty();
        return Optional.of(format(src, parsed.program().get(), Parse.comments(src)));
    }

    private static String format(SourceFile src, Program program, List<Comment> comments) {
        StringBuilder out = new StringBuilder();
        int c = 0;
        int lastLine = 0; // the source line where the last emitted element ended (0: nothing yet)
        for (Stmt s : program.statements()) {
            Span sp = s.span();
            while (c < comments.size() && before(comments.get(c).span(), sp)) {
                lastLine = emit(out, comments.get(c).text(), comments.get(c).span(), lastLine);
                c++;
            }
            boolean inside = false;
            int k = c;
            while (k < comments.size() && !after(comments.get(k).span(), sp)) {
                inside = true;
                k++;
            }
            String text = inside ? src.slice(sp) : Printer.print(s);
            c = k; // comments inside the statement are part of its verbatim text
            lastLine = emit(out, text, sp, lastLine);
            while (c < comments.size() && comments.get(c).span().startLine() == sp.endLine()) {
                Comment t = comments.get(c++);
                out.setLength(out.length() - 1);
                out.append("  ").append(t.text()).append('\n');
                lastLine = t.span().endLine();
            }
        }
        while (c < comments.size()) {
            lastLine = emit(out, comments.get(c).text(), comments.get(c).span(), lastLine);
            c++;
        }
        return out.toString();
    }

    /** Appends {@code text} on its own line(s), after a blank line if the source had one; returns its last source line. */
    private static int emit(StringBuilder out, String text, Span span, int lastLine) {
        if (lastLine > 0 && span.startLine() > lastLine + 1) out.append('\n');
        out.append(text.stripTrailing()).append('\n');
        return span.endLine();
    }

    /** Whether {@code a} ends before {@code b} starts. */
    private static boolean before(Span a, Span b) {
        return a.endLine() < b.startLine() || (a.endLine() == b.startLine() && a.endColumn() < b.startColumn());
    }

    /** Whether {@code a} starts after {@code b} ends. */
    private static boolean after(Span a, Span b) {
        return a.startLine() > b.endLine() || (a.startLine() == b.endLine() && a.startColumn() > b.endColumn());
    }
}
