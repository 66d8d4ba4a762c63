package dfl.grammar;

import dfl.diag.Code;
import dfl.diag.Diagnostic;
import dfl.diag.Suggest;
import dfl.source.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.antlr.v4.runtime.NoViableAltException;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.TokenStream;
import org.antlr.v4.runtime.misc.IntervalSet;

/**
 * Turns ANTLR's recognition exceptions into E0003 diagnostics in user terms: what was expected
 * ("an expression", "';' after the statement", "')' to close the call to 'f' started at ..."),
 * what was found, and a hint for common mistakes. Never prints a token set.
 *
 * <p>The position is the offending token, which for ANTLR's prediction errors is the furthest
 * token it examined; when that token is on a later line than the previous one, or is the end of
 * the input, the diagnostic points just after the previous token, where the missing piece goes.
 */
final class SyntaxMessages {
    private SyntaxMessages() {}

    static final String STATEMENT_FORMS = "A statement is 'name = value;', 'G(x) = body;', 'x ~ prior;', "
            + "'observe data ~ Normal(...);', 'compose expr;' or 'sample x with tds(...);'.";
    private static final String OBSERVE_FORM = "An observation is written 'observe y ~ Normal(G(x), σ);'.";
    private static final String CALL_NOT_STATEMENT = "A call on its own is not a statement: bind its value, as in 'y = f(...);'.";

    /** A diagnostic and whether it was caused by the input ending early. */
    record Described(Diagnostic diagnostic, boolean atEnd) {}

    static Described describe(RecognitionException e, TokenStream tokens) {
        Token off = e.getOffendingToken();
        Token prev = off.getTokenIndex() > 0 ? tokens.get(off.getTokenIndex() - 1) : null;
        ParserRuleContext ctx = (ParserRuleContext) e.getCtx();
        IntervalSet expected = e.getExpectedTokens();
        if (expected == null) expected = new IntervalSet();
        boolean atEnd = off.getType() == Token.EOF;

        List<String> hints = new ArrayList<>();
        String what = expectation(e, ctx, expected, off, prev, hints);
        Span span = position(off, prev);
        String message = "expected " + what + ", found " + describe(off) + ".";
        if (isKeyword(off.getType()) && (expected.contains(DflLexer.ID) || expected.contains(DflLexer.NUMBER))) {
            hints.add("'" + off.getText() + "' is a keyword and cannot be used as a name.");
        }
        return new Described(Diagnostic.error(Code.E0003, span, message, hints.toArray(String[]::new)), atEnd);
    }

    private static String expectation(RecognitionException e, ParserRuleContext ctx, IntervalSet expected,
                                      Token off, Token prev, List<String> hints) {
        int prevType = prev == null ? Token.INVALID_TYPE : prev.getType();

        // Nothing of a statement consumed yet.
        if (ctx instanceof DflParser.ProgramContext
                || (ctx instanceof DflParser.StatementContext && e instanceof NoViableAltException nv && nv.getStartToken() == off)) {
            statementStartHints(off, hints);
            return "a statement";
        }
        // "foo bar": a name at the start of a statement followed by something that is not '=', '~' or '('.
        if (ctx instanceof DflParser.StatementContext && e instanceof NoViableAltException nv
                && nv.getStartToken().getType() == DflLexer.ID) {
            String name = nv.getStartToken().getText();
            Optional<String> keyword = Suggest.closest(name, Parse.KEYWORDS);
            if (keyword.isPresent()) hints.add("Did you mean '" + keyword.get() + "'?");
            else hints.add(STATEMENT_FORMS);
            return "'=', '~' or '(' after '" + name + "'";
        }
        if (ctx instanceof DflParser.ExpressionContext && expected.contains(Token.EOF)) {
            if (startsExpression(off.getType()) && endsOperand(prevType)) hints.add("An operator such as '+' or '*' may be missing.");
            return "an operator or the end of the expression";
        }
        if (prevType == DflLexer.WITH) return "a sampler call after 'with', such as 'tds(particles = 16)'";
        if (ctx instanceof DflParser.SampleStmtContext) {
            if (prevType == DflLexer.SAMPLE) {
                hints.add("Write 'sample x;' or 'sample x with tds(particles = 16);', where x is the latent variable.");
                return "a name after 'sample'";
            }
            if (prevType == DflLexer.INTO) return "a directory name in double quotes after 'into', such as \"out/run\"";
            DflParser.SampleStmtContext sample = (DflParser.SampleStmtContext) ctx;
            if (off.getType() == DflLexer.WITH && sample.STRING() != null) hints.add("'with SAMPLER(...)' comes before 'into'.");
            if (expected.contains(DflLexer.SEMI) || expected.contains(DflLexer.WITH) || expected.contains(DflLexer.INTO)) {
                if (off.getType() != Token.EOF && prev != null && off.getLine() > prev.getLine()) hints.add("Each statement ends with ';'.");
                if (sample.call() == null && sample.STRING() == null) {
                    return "'with', 'into' or ';' after 'sample " + sample.ID().getText() + "'";
                }
                if (sample.STRING() == null) return "'into' or ';' after the sampler call";
                return "';' after the statement";
            }
        }
        if (ctx instanceof DflParser.CallContext && expected.contains(DflLexer.LPAREN)) {
            hints.add("Write '" + prev.getText() + "()' to use its default settings.");
            return "'(' after the sampler name '" + prev.getText() + "'";
        }
        if (ctx instanceof DflParser.FunctionDefStmtContext f) {
            String name = f.ID().getText();
            if (expected.contains(DflLexer.ASSIGN)) {
                hints.add(CALL_NOT_STATEMENT);
                return "'=' after the parameter list of '" + name + "'";
            }
            if (expected.contains(DflLexer.RPAREN) && prevType == DflLexer.LPAREN) {
                hints.add(CALL_NOT_STATEMENT);
                return "a parameter name or ')' after '('";
            }
            if (expected.contains(DflLexer.RPAREN)) {
                return "',' or ')' in the parameter list of '" + name + "' started at " + where(f.LPAREN().getSymbol());
            }
        }
        if (ctx instanceof DflParser.ParamListContext && expected.contains(DflLexer.ID)) {
            hints.add("Function parameters are plain names, as in 'G(x, y) = x + y;'.");
            return "a parameter name after ','";
        }
        if (expected.contains(DflLexer.SEMI)) {
            if (off.getType() == DflLexer.ASSIGN) hints.add("A statement has only one '='.");
            missingSemicolonHints(off, prev, hints);
            return "';' after the statement";
        }
        if (expected.contains(DflLexer.TILDE)) {
            hints.add(OBSERVE_FORM);
            return "'~' after the observed data";
        }
        if (expected.contains(DflLexer.RPAREN)) {
            if (ctx instanceof DflParser.CallContext c) {
                if (prevType == DflLexer.LPAREN) return "an argument or ')' after '('";
                if (startsExpression(off.getType())) hints.add("Separate arguments with ','.");
                return "')' to close the call to '" + c.ID().getText() + "' started at " + where(c.ID().getSymbol());
            }
            ParserRuleContext open = ctx;
            while (open != null && !(open instanceof DflParser.ParenExprContext)) open = open.getParent();
            if (open != null) {
                if (startsExpression(off.getType())) hints.add("An operator such as '+' or '*' may be missing.");
                return "')' to close the '(' at " + where(open.start);
            }
        }
        if (expected.contains(DflLexer.RBRACK)) {
            ParserRuleContext open = ctx;
            while (open != null && !(open instanceof DflParser.VectorExprContext)) open = open.getParent();
            if (prevType == DflLexer.LBRACK) return "an expression or ']' after '['";
            if (startsExpression(off.getType())) hints.add("Separate the elements with ','.");
            return open == null ? "']'" : "']' to close the vector started at " + where(open.start);
        }
        if (expected.contains(DflLexer.NUMBER) || expected.contains(DflLexer.ID)) {
            boolean inArgs = ctx instanceof DflParser.ArgContext || ctx instanceof DflParser.ArgListContext;
            if (inArgs && off.getType() == DflLexer.ASSIGN) hints.add("A named argument is written 'name = value'.");
            if (inArgs && prevType == DflLexer.COMMA) return "an argument after ','";
            if (off.getType() == DflLexer.STARSTAR) hints.add("Use '^' for powers.");
            return prev != null && introducesExpression(prevType)
                    ? "an expression after '" + prev.getText() + "'"
                    : "an expression";
        }
        return fallback(expected);
    }

    private static void statementStartHints(Token off, List<String> hints) {
        switch (off.getType()) {
            case DflLexer.SEMI -> hints.add("Remove the extra ';'.");
            case DflLexer.RPAREN -> hints.add("This ')' has no matching '('.");
            case DflLexer.RBRACK -> hints.add("This ']' has no matching '['.");
            default -> hints.add(STATEMENT_FORMS);
        }
    }

    private static void missingSemicolonHints(Token off, Token prev, List<String> hints) {
        if (off.getType() == DflLexer.RPAREN) hints.add("This ')' has no matching '('.");
        else if (off.getType() == DflLexer.RBRACK) hints.add("This ']' has no matching '['.");
        else if (off.getType() != Token.EOF && prev != null && off.getLine() > prev.getLine()) hints.add("Each statement ends with ';'.");
        else if (startsExpression(off.getType()) && prev != null && endsOperand(prev.getType())) {
            hints.add("An operator such as '+' or '*' may be missing.");
        }
    }

    /** Where the caret goes: the offending token, or just after the previous token if the offending one is elsewhere. */
    private static Span position(Token off, Token prev) {
        if (prev != null && (off.getType() == Token.EOF || off.getLine() > TokenSpans.of(prev).endLine())) {
            return TokenSpans.after(prev);
        }
        return TokenSpans.of(off);
    }

    private static String where(Token t) {
        return "line " + t.getLine() + ", column " + (t.getCharPositionInLine() + 1);
    }

    /** The offending token in words. */
    static String describe(Token t) {
        return switch (t.getType()) {
            case Token.EOF -> "the end of the input";
            case DflLexer.ID -> "the name '" + t.getText() + "'";
            case DflLexer.NUMBER -> "the number " + t.getText();
            case DflLexer.STRING -> "the string " + abbreviate(t.getText());
            default -> isKeyword(t.getType()) ? "the keyword '" + t.getText() + "'" : "'" + t.getText() + "'";
        };
    }

    private static String abbreviate(String s) {
        return s.codePointCount(0, s.length()) <= 30 ? s : s.substring(0, s.offsetByCodePoints(0, 26)) + "...\"";
    }

    static boolean isKeyword(int type) {
        return type == DflLexer.OBSERVE || type == DflLexer.COMPOSE || type == DflLexer.SAMPLE
                || type == DflLexer.WITH || type == DflLexer.INTO;
    }

    static boolean startsExpression(int type) {
        return type == DflLexer.ID || type == DflLexer.NUMBER || type == DflLexer.STRING
                || type == DflLexer.LPAREN || type == DflLexer.LBRACK || type == DflLexer.MINUS;
    }

    private static boolean endsOperand(int type) {
        return type == DflLexer.ID || type == DflLexer.NUMBER || type == DflLexer.STRING
                || type == DflLexer.RPAREN || type == DflLexer.RBRACK;
    }

    private static boolean introducesExpression(int type) {
        return switch (type) {
            case DflLexer.PLUS, DflLexer.MINUS, DflLexer.STAR, DflLexer.SLASH, DflLexer.CARET, DflLexer.AT,
                    DflLexer.TILDE, DflLexer.ASSIGN, DflLexer.COMMA, DflLexer.LPAREN, DflLexer.LBRACK,
                    DflLexer.OBSERVE, DflLexer.COMPOSE -> true;
            default -> false;
        };
    }

    /** Expected tokens in words, expression starters folded into "an expression". */
    private static String fallback(IntervalSet expected) {
        List<String> words = new ArrayList<>();
        boolean expr = false;
        for (int type : expected.toArray()) {
            if (startsExpression(type)) {
                if (!expr) words.add("an expression");
                expr = true;
            } else if (type == Token.EOF) {
                words.add("the end of the input");
            } else {
                String lit = DflLexer.VOCABULARY.getLiteralName(type);
                if (lit != null) words.add(lit);
            }
        }
        if (words.isEmpty()) return "something else";
        if (words.size() == 1) return words.get(0);
        return String.join(", ", words.subList(0, words.size() - 1)) + " or " + words.get(words.size() - 1);
    }
}
