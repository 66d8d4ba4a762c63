package dfl.grammar;

import dfl.source.Span;
import org.antlr.v4.runtime.Token;

/** Spans of tokens. Columns count Unicode code points, as ANTLR's code-point char stream does. */
final class TokenSpans {
    private TokenSpans() {}

    /** The span of a token's text; multi-line tokens (an unterminated comment) end on their last line. */
    static Span of(Token t) {
        int line = t.getLine();
        int col = t.getCharPositionInLine() + 1;
        String text = t.getType() == Token.EOF ? "" : t.getText();
        if (text == null || text.isEmpty()) return Span.at(line, col);
        int l = line, c = col, lastL = line, lastC = col;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            lastL = l;
            lastC = c;
            if (cp == '\n') {
                l++;
                c = 1;
            } else {
                c++;
            }
        }
        return new Span(line, col, lastL, lastC);
    }

    /** The one-column position just after a token (where a missing token would go). */
    static Span after(Token t) {
        Span s = of(t);
        return Span.at(s.endLine(), s.endColumn() + 1);
    }

    /** Span from the start of {@code a} to the end of {@code b}. */
    static Span between(Token a, Token b) {
        return of(a).to(of(b));
    }
}
