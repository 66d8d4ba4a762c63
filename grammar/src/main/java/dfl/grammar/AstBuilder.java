package dfl.grammar;

import dfl.ast.Arg;
import dfl.ast.Expr;
import dfl.ast.Ident;
import dfl.ast.Node;
import dfl.ast.Program;
import dfl.ast.Stmt;
import dfl.source.Span;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.TerminalNode;

/**
 * Turns a parse tree that parsed without errors into {@code dfl.ast} records. Lexical checks
 * (numbers in range, valid escapes) have already passed, so building cannot fail.
 *
 * <p>Chains of left-associative operators are folded with a loop rather than recursion, so the
 * builder's stack depth is bounded by {@link Nesting}'s nesting limit, not by chain length.
 */
final class AstBuilder extends DflParserBaseVisitor<Node> {

    Program program(DflParser.ProgramContext ctx) {
        List<Stmt> stmts = new ArrayList<>();
        for (DflParser.StatementContext s : ctx.statement()) stmts.add((Stmt) visit(s));
        Span span = stmts.isEmpty() ? Span.NONE : stmts.get(0).span().to(stmts.get(stmts.size() - 1).span());
        return new Program(stmts, span);
    }

    Expr expression(DflParser.ExpressionContext ctx) {
        return expr(ctx.expr());
    }

    // ---- statements ----

    @Override
    public Node visitObserveStmt(DflParser.ObserveStmtContext ctx) {
        return new Stmt.Observe(expr(ctx.data), expr(ctx.dist), span(ctx.start, ctx.stop));
    }

    @Override
    public Node visitComposeStmt(DflParser.ComposeStmtContext ctx) {
        return new Stmt.Compose(expr(ctx.expr()), span(ctx.start, ctx.stop));
    }

    @Override
    public Node visitSampleStmt(DflParser.SampleStmtContext ctx) {
        Optional<Expr.Call> sampler = ctx.call() == null ? Optional.empty() : Optional.of(call(ctx.call()));
        Optional<Expr.Str> into = ctx.STRING() == null ? Optional.empty() : Optional.of(string(ctx.STRING().getSymbol()));
        return new Stmt.Sample(ident(ctx.ID()), sampler, into, span(ctx.start, ctx.stop));
    }

    @Override
    public Node visitFunctionDefStmt(DflParser.FunctionDefStmtContext ctx) {
        List<Ident> params = new ArrayList<>();
        if (ctx.paramList() != null) for (TerminalNode p : ctx.paramList().ID()) params.add(ident(p));
        return new Stmt.FunctionDef(ident(ctx.ID()), params, expr(ctx.expr()), span(ctx.start, ctx.stop));
    }

    @Override
    public Node visitBindingStmt(DflParser.BindingStmtContext ctx) {
        return new Stmt.Binding(ident(ctx.ID()), expr(ctx.expr()), span(ctx.start, ctx.stop));
    }

    @Override
    public Node visitLatentStmt(DflParser.LatentStmtContext ctx) {
        return new Stmt.Latent(ident(ctx.ID()), expr(ctx.expr()), span(ctx.start, ctx.stop));
    }

    // ---- expressions ----

    private Expr expr(DflParser.ExprContext ctx) {
        return (Expr) visit(ctx);
    }

    @Override
    public Node visitAddExpr(DflParser.AddExprContext ctx) {
        return leftChain(ctx);
    }

    @Override
    public Node visitMulExpr(DflParser.MulExprContext ctx) {
        return leftChain(ctx);
    }

    /** Folds {@code a op b op c ...} (left-deep in the parse tree) without recursing down the left spine. */
    private Expr leftChain(DflParser.ExprContext top) {
        Deque<DflParser.ExprContext> spine = new ArrayDeque<>();
        DflParser.ExprContext cur = top;
        while (cur instanceof DflParser.AddExprContext || cur instanceof DflParser.MulExprContext) {
            spine.push(cur);
            cur = cur instanceof DflParser.AddExprContext a ? a.left : ((DflParser.MulExprContext) cur).left;
        }
        Expr acc = expr(cur);
        while (!spine.isEmpty()) {
            DflParser.ExprContext c = spine.pop();
            Token op = c instanceof DflParser.AddExprContext a ? a.op : ((DflParser.MulExprContext) c).op;
            Expr right = expr(c instanceof DflParser.AddExprContext a ? a.right : ((DflParser.MulExprContext) c).right);
            acc = new Expr.Binary(operator(op), acc, right, acc.span().to(right.span()));
        }
        return acc;
    }

    @Override
    public Node visitPowExpr(DflParser.PowExprContext ctx) {
        Expr base = expr(ctx.base);
        Expr exponent = expr(ctx.exponent);
        return new Expr.Binary(Expr.BinaryOp.POW, base, exponent, base.span().to(exponent.span()));
    }

    @Override
    public Node visitNegExpr(DflParser.NegExprContext ctx) {
        Expr operand = expr(ctx.expr());
        return new Expr.Neg(operand, TokenSpans.of(ctx.MINUS().getSymbol()).to(operand.span()));
    }

    @Override
    public Node visitCallExpr(DflParser.CallExprContext ctx) {
        return call(ctx.call());
    }

    @Override
    public Node visitVarExpr(DflParser.VarExprContext ctx) {
        Token t = ctx.ID().getSymbol();
        return new Expr.Var(t.getText(), TokenSpans.of(t));
    }

    @Override
    public Node visitNumberExpr(DflParser.NumberExprContext ctx) {
        Token t = ctx.NUMBER().getSymbol();
        return new Expr.Num(Double.parseDouble(t.getText()), TokenSpans.of(t));
    }

    @Override
    public Node visitStringExpr(DflParser.StringExprContext ctx) {
        return string(ctx.STRING().getSymbol());
    }

    @Override
    public Node visitVectorExpr(DflParser.VectorExprContext ctx) {
        List<Expr> elements = new ArrayList<>();
        for (DflParser.ExprContext e : ctx.expr()) elements.add(expr(e));
        return new Expr.Vector(elements, span(ctx.start, ctx.stop));
    }

    /** Parentheses make no node; the expression's span grows to cover them, so diagnostics underline "(a + b)". */
    @Override
    public Node visitParenExpr(DflParser.ParenExprContext ctx) {
        return withSpan(expr(ctx.expr()), span(ctx.start, ctx.stop));
    }

    private Expr.Call call(DflParser.CallContext ctx) {
        List<Arg> args = new ArrayList<>();
        if (ctx.argList() != null) {
            for (DflParser.ArgContext a : ctx.argList().arg()) {
                if (a instanceof DflParser.NamedArgContext n) {
                    Expr value = expr(n.expr());
                    Ident label = ident(n.ID());
                    args.add(new Arg(Optional.of(label), value, label.span().to(value.span())));
                } else {
                    Expr value = expr(((DflParser.PositionalArgContext) a).expr());
                    args.add(new Arg(Optional.empty(), value, value.span()));
                }
            }
        }
        return new Expr.Call(ident(ctx.ID()), args, span(ctx.start, ctx.stop));
    }

    private static Expr.Str string(Token t) {
        return new Expr.Str(Lexing.unescape(t.getText()), TokenSpans.of(t));
    }

    private static Ident ident(TerminalNode n) {
        return new Ident(n.getText(), TokenSpans.of(n.getSymbol()));
    }

    private static Span span(Token start, Token stop) {
        return TokenSpans.between(start, stop);
    }

    private static Expr.BinaryOp operator(Token op) {
        return switch (op.getType()) {
            case DflLexer.PLUS -> Expr.BinaryOp.ADD;
            case DflLexer.MINUS -> Expr.BinaryOp.SUB;
            case DflLexer.STAR -> Expr.BinaryOp.MUL;
            case DflLexer.SLASH -> Expr.BinaryOp.DIV;
            case DflLexer.AT -> Expr.BinaryOp.MATMUL;
            default -> throw new IllegalStateException("not a binary operator: " + op.getText());
        };
    }

    private static Expr withSpan(Expr e, Span s) {
        if (e instanceof Expr.Num n) return new Expr.Num(n.value(), s);
        if (e instanceof Expr.Str str) return new Expr.Str(str.value(), s);
        if (e instanceof Expr.Vector v) return new Expr.Vector(v.elements(), s);
        if (e instanceof Expr.Var v) return new Expr.Var(v.name(), s);
        if (e instanceof Expr.Call c) return new Expr.Call(c.callee(), c.args(), s);
        if (e instanceof Expr.Binary b) return new Expr.Binary(b.op(), b.left(), b.right(), s);
        Expr.Neg n = (Expr.Neg) e;
        return new Expr.Neg(n.operand(), s);
    }
}
