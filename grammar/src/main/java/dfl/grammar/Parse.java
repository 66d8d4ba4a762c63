package dfl.grammar;

import dfl.ast.Expr;
import dfl.ast.Program;
import dfl.diag.Diagnostic;
import dfl.source.SourceFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.antlr.v4.runtime.BailErrorStrategy;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.ListTokenSource;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.ParseCancellationException;

/**
 * The parser's public face: source text in, {@code dfl.ast} tree or diagnostics out. No ANTLR type
 * appears in this API.
 *
 * <p>Pipeline and error strategy:
 * <ol>
 *   <li>Size: more than {@link Limits#maxChars()} characters or {@link Limits#maxTokens()} tokens is E0006.
 *   <li>Lexing: every character becomes a token; error tokens become E0001 (unexpected character,
 *       with hints for look-alikes such as {@code **}), E0002 (unterminated string or comment) and
 *       E0005 (invalid or out-of-range number). Any lexical error stops here.
 *   <li>Depth: nesting beyond {@link Limits#maxNesting()} or expressions deeper than
 *       {@link Limits#maxExpressionDepth()} is E0004, found by counting tokens, so no recursion ever
 *       sees pathological input.
 *   <li>Parsing with a bail-out strategy: ANTLR never inserts or deletes a token to repair the
 *       input. At the first error in a statement the parser stops, reports E0003 at the furthest
 *       token it reached, in user terms, then resumes after the next {@code ;} so that errors in
 *       later statements are reported too (at most {@link #MAX_SYNTAX_ERRORS}). A program with any
 *       error yields no tree.
 * </ol>
 */
public final class Parse {
    private Parse() {}

    /** The reserved words; they cannot be used as names. */
    public static final Set<String> KEYWORDS = Set.of("observe", "compose", "sample", "with", "into");

    /** Syntax errors reported per program before giving up (each after resynchronising at ';'). */
    public static final int MAX_SYNTAX_ERRORS = 20;

    /**
     * Resource limits that keep pathological input from exhausting memory or stack.
     *
     * @param maxChars           characters in the source
     * @param maxTokens          tokens in the source
     * @param maxNesting         brackets, unary minus and {@code ^} nested within each other
     * @param maxExpressionDepth depth of an expression's syntax tree, counting chains of binary operators
     */
    public record Limits(int maxChars, int maxTokens, int maxNesting, int maxExpressionDepth) {
        /** 5 MB of text, a million tokens, nesting 200, expression depth 256: record equals/hashCode (method-handle based, up to about 1.7 KB of stack per level when cold) and other recursive walks over any accepted tree then fit in the default 1 MB thread stack with room to spare. */
        public static final Limits DEFAULT = new Limits(5_000_000, 1_000_000, 200, 256);
    }

    /** Parses a whole program with the default limits. */
    public static ParseResult program(SourceFile src) {
        return program(src, Limits.DEFAULT);
    }

    /** Parses a whole program. */
    public static ParseResult program(SourceFile src, Limits limits) {
        Lexing.Lexed lexed = Lexing.lex(src.name(), src.text(), limits);
        if (!lexed.ok()) return new ParseResult(Optional.empty(), lexed.diagnostics(), lexed.incomplete());
        Optional<Diagnostic> tooDeep = Nesting.check(lexed.tokens(), limits);
        if (tooDeep.isPresent()) return new ParseResult(Optional.empty(), List.of(tooDeep.get()), false);

        CommonTokenStream stream = stream(lexed.tokens());
        List<Diagnostic> diags = new ArrayList<>();
        boolean allAtEnd = true;
        DflParser.ProgramContext tree = null;
        int start = 0;
        while (true) {
            DflParser parser = parser(stream);
            stream.seek(start);
            try {
                tree = parser.program();
                break;
            } catch (ParseCancellationException ex) {
                RecognitionException re = (RecognitionException) ex.getCause();
                SyntaxMessages.Described d = SyntaxMessages.describe(re, stream);
                diags.add(d.diagnostic());
                allAtEnd &= d.atEnd();
                int next = resumeAfterSemicolon(stream, re.getOffendingToken().getTokenIndex());
                if (next < 0 || diags.size() >= MAX_SYNTAX_ERRORS) break;
                start = next;
            }
        }
        if (!diags.isEmpty()) return new ParseResult(Optional.empty(), diags, allAtEnd);
        Program program = new AstBuilder().program(tree);
        return new ParseResult(Optional.of(program), List.of(), false);
    }

    /** Parses a single expression (for the REPL and tests) with the default limits. */
    public static ExpressionResult expression(SourceFile src) {
        return expression(src, Limits.DEFAULT);
    }

    /** Parses a single expression; the whole input must be the expression. */
    public static ExpressionResult expression(SourceFile src, Limits limits) {
        Lexing.Lexed lexed = Lexing.lex(src.name(), src.text(), limits);
        if (!lexed.ok()) return new ExpressionResult(Optional.empty(), lexed.diagnostics(), lexed.incomplete());
        Optional<Diagnostic> tooDeep = Nesting.check(lexed.tokens(), limits);
        if (tooDeep.isPresent()) return new ExpressionResult(Optional.empty(), List.of(tooDeep.get()), false);
        CommonTokenStream stream = stream(lexed.tokens());
        try {
            DflParser.ExpressionContext tree = parser(stream).expression();
            Expr e = new AstBuilder().expression(tree);
            return new ExpressionResult(Optional.of(e), List.of(), false);
        } catch (ParseCancellationException ex) {
            SyntaxMessages.Described d = SyntaxMessages.describe((RecognitionException) ex.getCause(), stream);
            return new ExpressionResult(Optional.empty(), List.of(d.diagnostic()), d.atEnd());
        }
    }

    /**
     * The comments of a source in order (what the parser skips), for tools that keep them ({@code dfl fmt}). Lexical
     * errors end the list where they occur.
     */
    public static List<Comment> comments(SourceFile src) {
        CommentLexer lexer = new CommentLexer(org.antlr.v4.runtime.CharStreams.fromString(Lexing.normalizeLoneCarriageReturns(src.text()), src.name()));
        lexer.removeErrorListeners();
        for (Token t = lexer.nextToken(); t.getType() != Token.EOF; t = lexer.nextToken()) {
            // the tokens themselves are not needed: the lexer records each comment as it skips it
        }
        return List.copyOf(lexer.comments);
    }

    private static CommonTokenStream stream(List<Token> tokens) {
        CommonTokenStream stream = new CommonTokenStream(new ListTokenSource(tokens));
        stream.fill();
        return stream;
    }

    private static DflParser parser(CommonTokenStream stream) {
        DflParser parser = new DflParser(stream);
        parser.removeErrorListeners();
        parser.setErrorHandler(new BailErrorStrategy());
        return parser;
    }

    /** Index of the first token after the next ';' at or after {@code from}, or -1 at the end of input. */
    private static int resumeAfterSemicolon(CommonTokenStream stream, int from) {
        for (int i = from; i < stream.size(); i++) {
            int type = stream.get(i).getType();
            if (type == Token.EOF) return -1;
            if (type == DflLexer.SEMI) return stream.get(i + 1).getType() == Token.EOF ? -1 : i + 1;
        }
        return -1;
    }
}
