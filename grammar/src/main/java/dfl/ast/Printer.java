package dfl.ast;

import java.util.List;

/**
 * Canonical DFL source for a syntax tree ({@code dfl fmt}): one statement per line, spaces around
 * {@code + - * / @}, {@code ^} written tight as in {@code p^γ}, and only the parentheses that
 * precedence and associativity require. Parsing the output gives back the same tree up to spans.
 *
 * <p>Numbers print so that they re-parse to the same double: integral values without a fraction
 * ({@code 3}), others in Java's shortest round-trip form with a lower-case exponent
 * ({@code 0.5}, {@code 1e-4}, {@code 2.5e10}). A negative {@link Expr.Num} (which the parser never
 * produces: {@code -3} parses as a negation of 3) prints like a negation.
 */
public final class Printer {
    private Printer() {}

    private static final int PREC_NEG = 3;
    private static final int PREC_ATOM = 5;

    /** The program, one statement per line, ending with a newline (empty for no statements). */
    public static String print(Program program) {
        StringBuilder sb = new StringBuilder();
        for (Stmt s : program.statements()) sb.append(print(s)).append('\n');
        return sb.toString();
    }

    /** One statement, including its {@code ;}. */
    public static String print(Stmt s) {
        StringBuilder sb = new StringBuilder();
        if (s instanceof Stmt.Binding b) {
            sb.append(b.name().name()).append(" = ");
            expr(b.value(), sb);
        } else if (s instanceof Stmt.FunctionDef f) {
            sb.append(f.name().name()).append('(');
            List<Ident> params = f.params();
            for (int i = 0; i < params.size(); i++) {
                if (i > 0) sb.append(", ");
                sb.append(params.get(i).name());
            }
            sb.append(") = ");
            expr(f.body(), sb);
        } else if (s instanceof Stmt.Latent l) {
            sb.append(l.name().name()).append(" ~ ");
            expr(l.prior(), sb);
        } else if (s instanceof Stmt.Observe o) {
            sb.append("observe ");
            expr(o.data(), sb);
            sb.append(" ~ ");
            expr(o.distribution(), sb);
        } else if (s instanceof Stmt.Compose c) {
            sb.append("compose ");
            expr(c.target(), sb);
        } else {
            Stmt.Sample sm = (Stmt.Sample) s;
            sb.append("sample ").append(sm.latent().name());
            sm.sampler().ifPresent(c -> {
                sb.append(" with ");
                expr(c, sb);
            });
            sm.into().ifPresent(d -> sb.append(" into ").append(quote(d.value())));
        }
        return sb.append(';').toString();
    }

    /** One expression. */
    public static String print(Expr e) {
        StringBuilder sb = new StringBuilder();
        expr(e, sb);
        return sb.toString();
    }

    private static void expr(Expr e, StringBuilder sb) {
        if (e instanceof Expr.Num n) {
            double v = n.value();
            if (v < 0 || (v == 0 && 1 / v < 0)) sb.append('-').append(number(-v));
            else sb.append(number(v));
        } else if (e instanceof Expr.Str s) {
            sb.append(quote(s.value()));
        } else if (e instanceof Expr.Vector v) {
            sb.append('[');
            for (int i = 0; i < v.elements().size(); i++) {
                if (i > 0) sb.append(", ");
                expr(v.elements().get(i), sb);
            }
            sb.append(']');
        } else if (e instanceof Expr.Var v) {
            sb.append(v.name());
        } else if (e instanceof Expr.Call c) {
            sb.append(c.callee().name()).append('(');
            for (int i = 0; i < c.args().size(); i++) {
                if (i > 0) sb.append(", ");
                Arg a = c.args().get(i);
                a.name().ifPresent(label -> sb.append(label.name()).append(" = "));
                expr(a.value(), sb);
            }
            sb.append(')');
        } else if (e instanceof Expr.Binary b) {
            int p = b.op().precedence();
            boolean pow = b.op() == Expr.BinaryOp.POW;
            // '^' groups to the right: (a^b)^c needs parentheses, a^b^c does not; its right operand
            // may be a negation without parentheses (q^-0.3). The others group to the left.
            boolean leftParens = pow ? precedence(b.left()) <= p : precedence(b.left()) < p;
            boolean rightParens = pow
                    ? precedence(b.right()) < p && !isNegation(b.right())
                    : precedence(b.right()) <= p;
            operand(b.left(), leftParens, sb);
            sb.append(pow ? "^" : " " + b.op().symbol() + " ");
            operand(b.right(), rightParens, sb);
        } else {
            Expr operand = ((Expr.Neg) e).operand();
            sb.append('-');
            // -x^2 is -(x^2); -(a * b) and -(-x) keep their parentheses.
            operand(operand, precedence(operand) < PREC_NEG || isNegation(operand), sb);
        }
    }

    private static void operand(Expr e, boolean parens, StringBuilder sb) {
        if (parens) sb.append('(');
        expr(e, sb);
        if (parens) sb.append(')');
    }

    private static int precedence(Expr e) {
        if (e instanceof Expr.Binary b) return b.op().precedence();
        if (isNegation(e)) return PREC_NEG;
        return PREC_ATOM;
    }

    private static boolean isNegation(Expr e) {
        if (e instanceof Expr.Neg) return true;
        if (e instanceof Expr.Num n) return n.value() < 0 || (n.value() == 0 && 1 / n.value() < 0);
        return false;
    }

    /** A non-negative finite number as a DFL literal that parses back to exactly {@code v}. */
    static String number(double v) {
        if (!Double.isFinite(v)) throw new IllegalArgumentException("DFL has no literal for " + v);
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        String s = Double.toString(v);
        int e = s.indexOf('E');
        String mantissa = e < 0 ? s : s.substring(0, e);
        if (mantissa.endsWith(".0")) mantissa = mantissa.substring(0, mantissa.length() - 2);
        return e < 0 ? mantissa : mantissa + "e" + s.substring(e + 1);
    }

    /** A string literal with {@code " \ newline tab CR} escaped. */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
