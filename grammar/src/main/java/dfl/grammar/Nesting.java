package dfl.grammar;

import dfl.diag.Code;
import dfl.diag.Diagnostic;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.antlr.v4.runtime.Token;

/**
 * Bounds the depth of expressions at the token level, before parsing, so that neither ANTLR's
 * recursive descent nor any recursive walk over the syntax tree (the AST builder here, the
 * printer, the compiler) can overflow the stack on pathological input.
 *
 * <p>Two measures, both summed over enclosing brackets:
 * <ul>
 *   <li>nesting: brackets, runs of unary minus and chains of {@code ^} — what the parser recurses on;
 *   <li>expression depth: nesting plus chains of binary operators ({@code 1 + 1 + ... + 1}
 *       parses with a loop but yields a syntax tree as deep as the chain is long).
 * </ul>
 */
final class Nesting {
    private Nesting() {}

    static Optional<Diagnostic> check(List<Token> tokens, Parse.Limits limits) {
        Deque<int[]> saved = new ArrayDeque<>();
        int outerNesting = 0;   // brackets plus the unary/caret runs pending at enclosing levels
        int outerChain = 0;     // binary-operator chains pending at enclosing levels
        int nesting = 0;        // unary minus and '^' at the current level since the last binary operator
        int chain = 0;          // binary operators at the current level in the current expression
        int prevType = Token.INVALID_TYPE;
        for (Token t : tokens) {
            int type = t.getType();
            switch (type) {
                case DflLexer.LPAREN, DflLexer.LBRACK -> {
                    saved.push(new int[] {nesting, chain});
                    outerNesting += nesting + 1;
                    outerChain += chain;
                    nesting = 0;
                    chain = 0;
                }
                case DflLexer.RPAREN, DflLexer.RBRACK -> {
                    if (!saved.isEmpty()) {
                        int[] s = saved.pop();
                        outerNesting -= s[0] + 1;
                        outerChain -= s[1];
                        nesting = s[0];
                        chain = s[1];
                    }
                }
                case DflLexer.CARET -> nesting++;
                case DflLexer.MINUS -> {
                    if (endsOperand(prevType)) {
                        chain++;
                        nesting = 0;
                    } else {
                        nesting++;
                    }
                }
                case DflLexer.PLUS, DflLexer.STAR, DflLexer.SLASH, DflLexer.AT -> {
                    chain++;
                    nesting = 0;
                }
                case DflLexer.COMMA, DflLexer.SEMI, DflLexer.ASSIGN, DflLexer.TILDE,
                        DflLexer.OBSERVE, DflLexer.COMPOSE, DflLexer.SAMPLE, DflLexer.WITH, DflLexer.INTO -> {
                    nesting = 0;
                    chain = 0;
                }
                default -> { }
            }
            if (outerNesting + nesting > limits.maxNesting()) {
                return Optional.of(Diagnostic.error(Code.E0004, TokenSpans.of(t),
                        "this expression is nested too deeply: more than " + limits.maxNesting()
                                + " levels of brackets, unary '-' and '^'.",
                        "Split it into smaller named parts, as in 'a = ...; b = f(a);'."));
            }
            if (outerNesting + nesting + outerChain + chain > limits.maxExpressionDepth()) {
                return Optional.of(Diagnostic.error(Code.E0004, TokenSpans.of(t),
                        "this expression is too deep: more than " + limits.maxExpressionDepth()
                                + " operators and brackets in a row.",
                        "Split it into smaller named parts, as in 'a = ...; b = f(a);'."));
            }
            prevType = type;
        }
        return Optional.empty();
    }

    private static boolean endsOperand(int type) {
        return type == DflLexer.ID || type == DflLexer.NUMBER || type == DflLexer.STRING
                || type == DflLexer.RPAREN || type == DflLexer.RBRACK;
    }
}
