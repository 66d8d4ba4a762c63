package dfl.grammar;

import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.CharStream;
import org.antlr.v4.runtime.CommonToken;

/** The DFL lexer, keeping the comments its rules skip (the same rules, so a comment is exactly what the parser ignores). */
final class CommentLexer extends DflLexer {

    final List<Comment> comments = new ArrayList<>();

    CommentLexer(CharStream input) {
        super(input);
    }

    @Override
    public void skip() {
        String text = getText();
        if (text.startsWith("//") || text.startsWith("/*")) {
            CommonToken t = new CommonToken(LINE_COMMENT, text);
            t.setLine(_tokenStartLine);
            t.setCharPositionInLine(_tokenStartCharPositionInLine);
            comments.add(new Comment(TokenSpans.of(t), text));
        }
        super.skip();
    }
}
