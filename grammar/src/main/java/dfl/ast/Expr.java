package dfl.ast;

import dfl.source.Span;
import java.util.List;

/** An expression. Matrices are vectors of vectors. */
public sealed interface Expr extends Node {

    /** A number literal. */
    record Num(double value, Span span) implements Expr {}

    /** A string literal, unescaped. */
    record Str(String value, Span span) implements Expr {}

    /** {@code [e1, e2, ...]}: a vector, or a matrix when the elements are vectors. */
    record Vector(List<Expr> elements, Span span) implements Expr {
        public Vector {
            elements = List.copyOf(elements);
        }
    }

    /** A use of a name. */
    record Var(String name, Span span) implements Expr {}

    /** {@code f(a, b, name = c)}. */
    record Call(Ident callee, List<Arg> args, Span span) implements Expr {
        public Call {
            args = List.copyOf(args);
        }
    }

    /** {@code left op right}. */
    record Binary(BinaryOp op, Expr left, Expr right, Span span) implements Expr {}

    /** {@code -operand}. */
    record Neg(Expr operand, Span span) implements Expr {}

    /** The binary operators, loosest binding first. {@code ^} binds tightest and groups to the right. */
    enum BinaryOp {
        ADD("+", 1), SUB("-", 1), MUL("*", 2), DIV("/", 2), MATMUL("@", 2), POW("^", 4);

        private final String symbol;
        private final int precedence;

        BinaryOp(String symbol, int precedence) {
            this.symbol = symbol;
            this.precedence = precedence;
        }

        /** The operator as written. */
        public String symbol() {
            return symbol;
        }

        /** Higher binds tighter; unary minus sits at 3, between {@code * / @} and {@code ^}. */
        public int precedence() {
            return precedence;
        }
    }
}
