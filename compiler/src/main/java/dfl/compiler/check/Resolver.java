package dfl.compiler.check;

import dfl.ast.Arg;
import dfl.ast.Expr;
import dfl.ast.Ident;
import dfl.ast.Program;
import dfl.ast.Stmt;
import dfl.compiler.builtin.Builtin;
import dfl.compiler.builtin.BuiltinRegistry;
import dfl.diag.Code;
import dfl.diag.Diagnostic;
import dfl.diag.Suggest;
import dfl.source.Span;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Resolves every name to a binding, function, parameter, the latent or a built-in. Scoping is
 * sequential, as in Stan: a name refers to the latest definition before the statement that uses it,
 * else to a built-in, so {@code classifier = classifier("mnist", label = 3);} rebinds a built-in's
 * name. The words {@code true}, {@code false} and {@code null} mean themselves unless bound. Reports undefined names
 * with suggestions, definitions given twice, recursion, and unused bindings (a warning); a call of a bound value is
 * left to the checker, which knows whether the value is a network.
 */
final class Resolver {

    /** Words with a meaning of their own where the program does not bind them: booleans and the null condition. */
    static final Set<String> WORDS = Set.of("true", "false", "null");

    private final BuiltinRegistry builtins;
    private final boolean allowRedefinition;
    private final boolean inferLatent;
    private final List<Diagnostic> diagnostics;
    private final Resolution resolution = new Resolution();
    private final Map<String, Stmt> defined = new LinkedHashMap<>();
    private final Map<String, Stmt> definedAnywhere = new LinkedHashMap<>();
    private final Set<Stmt> used = new HashSet<>();
    private String latent;
    private Stmt.FunctionDef currentFunction;
    private boolean optionContext;

    Resolver(BuiltinRegistry builtins, boolean allowRedefinition, boolean inferLatent, List<Diagnostic> diagnostics) {
        this.builtins = builtins;
        this.allowRedefinition = allowRedefinition;
        this.inferLatent = inferLatent;
        this.diagnostics = diagnostics;
    }

    /** The latent's name: from {@code sample x} or {@code x ~ prior}, whichever comes first. */
    static Optional<String> latentName(Program program) {
        for (Stmt s : program.statements()) {
            if (s instanceof Stmt.Latent l) return Optional.of(l.name().name());
            if (s instanceof Stmt.Sample sm) return Optional.of(sm.latent().name());
        }
        return Optional.empty();
    }

    /**
     * The REPL's rule when no statement names the latent: an undefined name that an observation uses. Names inside a
     * distribution's mean (its first argument) come first, so in {@code Normal(A @ x, sigma)} with both undefined the
     * latent is {@code x} and {@code sigma} stays an error; among equals, the first in the program.
     */
    private Optional<String> inferredLatent(Program program) {
        Set<String> bound = new HashSet<>();
        for (Stmt s : program.statements()) {
            if (s instanceof Stmt.Binding b) bound.add(b.name().name());
            if (s instanceof Stmt.FunctionDef f) bound.add(f.name().name());
        }
        List<String> inMean = new ArrayList<>();
        List<String> elsewhere = new ArrayList<>();
        for (Stmt s : program.statements()) {
            if (!(s instanceof Stmt.Observe o)) continue;
            if (o.distribution() instanceof Expr.Call c && !c.args().isEmpty()) {
                freeNames(c.args().get(0).value(), bound, inMean);
                c.args().stream().skip(1).forEach(a -> freeNames(a.value(), bound, elsewhere));
            } else {
                freeNames(o.distribution(), bound, elsewhere);
            }
            freeNames(o.data(), bound, elsewhere);
        }
        inMean.addAll(elsewhere);
        return inMean.stream().findFirst();
    }

    private void freeNames(Expr e, Set<String> bound, List<String> out) {
        if (e instanceof Expr.Var v && !bound.contains(v.name()) && builtins.lookup(v.name()).isEmpty() && !WORDS.contains(v.name())) {
            out.add(v.name());
        }
        else if (e instanceof Expr.Vector v) v.elements().forEach(x -> freeNames(x, bound, out));
        else if (e instanceof Expr.Neg n) freeNames(n.operand(), bound, out);
        else if (e instanceof Expr.Binary b) {
            freeNames(b.left(), bound, out);
            freeNames(b.right(), bound, out);
        } else if (e instanceof Expr.Call c) c.args().forEach(a -> freeNames(a.value(), bound, out));
    }

    Resolution resolve(Program program) {
        latent = latentName(program).or(() -> inferLatent ? inferredLatent(program) : Optional.empty()).orElse(null);
        resolution.latent(latent);
        for (Stmt s : program.statements()) {
            if (s instanceof Stmt.Binding b) definedAnywhere.putIfAbsent(b.name().name(), b);
            if (s instanceof Stmt.FunctionDef f) definedAnywhere.putIfAbsent(f.name().name(), f);
        }
        for (Stmt s : program.statements()) {
            if (s instanceof Stmt.Binding b) {
                expr(b.value());
                define(b.name(), b);
            } else if (s instanceof Stmt.FunctionDef f) {
                checkParams(f);
                currentFunction = f;
                expr(f.body());
                currentFunction = null;
                define(f.name(), f);
            } else if (s instanceof Stmt.Latent l) {
                expr(l.prior());
            } else if (s instanceof Stmt.Observe o) {
                expr(o.data());
                expr(o.distribution());
            } else if (s instanceof Stmt.Compose c) {
                expr(c.target());
            } else if (s instanceof Stmt.Sample sm) {
                sm.sampler().ifPresent(call -> {
                    optionContext = true;
                    for (Arg a : call.args()) expr(a.value());
                    optionContext = false;
                });
            }
        }
        for (Stmt s : defined.values()) {
            if (!used.contains(s)) {
                Ident name = s instanceof Stmt.Binding b ? b.name() : ((Stmt.FunctionDef) s).name();
                if (!name.name().startsWith("_")) {
                    diagnostics.add(Diagnostic.warning(Code.W0001, name.span(),
                            "'" + name.name() + "' is defined but never used.",
                            "Remove it, or start its name with '_' to keep it quietly."));
                }
            }
        }
        return resolution;
    }

    private void checkParams(Stmt.FunctionDef f) {
        Set<String> seen = new HashSet<>();
        for (Ident p : f.params()) {
            if (!seen.add(p.name())) {
                diagnostics.add(Diagnostic.error(Code.E0102, p.span(),
                        "parameter '" + p.name() + "' appears twice in " + f.name().name() + "(...)."));
            }
        }
    }

    private void define(Ident name, Stmt s) {
        Stmt previous = defined.get(name.name());
        if (previous != null && !allowRedefinition) {
            Span at = previous.span();
            diagnostics.add(Diagnostic.error(Code.E0102, name.span(),
                    "'" + name.name() + "' is already defined at line " + at.startLine() + ".",
                    "Choose another name; a name can be bound once per program."));
            return;
        }
        if (latent != null && name.name().equals(latent)) {
            diagnostics.add(Diagnostic.error(Code.E0102, name.span(),
                    "'" + name.name() + "' is the latent variable sampled by this program; it cannot also be bound to a value.",
                    "Rename the binding."));
            return;
        }
        defined.put(name.name(), s);
    }

    private void expr(Expr e) {
        if (e instanceof Expr.Vector v) {
            v.elements().forEach(this::expr);
        } else if (e instanceof Expr.Neg n) {
            expr(n.operand());
        } else if (e instanceof Expr.Binary b) {
            expr(b.left());
            expr(b.right());
        } else if (e instanceof Expr.Var v) {
            variable(v);
        } else if (e instanceof Expr.Call c) {
            call(c);
            for (Arg a : c.args()) expr(a.value());
        }
    }

    private void variable(Expr.Var v) {
        String name = v.name();
        if (currentFunction != null) {
            List<Ident> ps = currentFunction.params();
            for (int i = 0; i < ps.size(); i++) {
                if (ps.get(i).name().equals(name)) {
                    resolution.put(v, new Ref.ToParam(currentFunction, i));
                    return;
                }
            }
            if (name.equals(currentFunction.name().name())) {
                recursion(currentFunction, v.span());
                return;
            }
        }
        Stmt s = defined.get(name);
        if (s != null) {
            used.add(s);
            resolution.put(v, s instanceof Stmt.Binding b ? new Ref.ToBinding(b) : new Ref.ToFunction((Stmt.FunctionDef) s));
        } else if (name.equals(latent)) {
            resolution.put(v, new Ref.ToLatent(name));
        } else if (builtins.lookup(name).isPresent()) {
            resolution.put(v, new Ref.ToBuiltin(builtins.lookup(name).get()));
        } else if (optionContext || WORDS.contains(name)) {
            resolution.put(v, new Ref.ToOption(name));
        } else {
            undefined(name, v.span(), "name");
        }
    }

    private void call(Expr.Call c) {
        String name = c.callee().name();
        if (currentFunction != null && name.equals(currentFunction.name().name())) {
            recursion(currentFunction, c.callee().span());
            return;
        }
        if (currentFunction != null && currentFunction.params().stream().anyMatch(p -> p.name().equals(name))) {
            diagnostics.add(Diagnostic.error(Code.E0112, c.callee().span(),
                    "'" + name + "' is a parameter of " + currentFunction.name().name() + "(...), not a function."));
            return;
        }
        Stmt s = defined.get(name);
        if (s instanceof Stmt.FunctionDef f) {
            used.add(f);
            resolution.put(c, new Ref.ToFunction(f));
        } else if (s instanceof Stmt.Binding b) {
            // a bound TorchScript network is an operator, op(x); the checker reports a call of any other value (E0112)
            used.add(b);
            resolution.put(c, new Ref.ToCalledBinding(b, builtins.lookup(name).isPresent()));
        } else if (builtins.lookup(name).isPresent()) {
            resolution.put(c, new Ref.ToBuiltin(builtins.lookup(name).get()));
        } else if (optionContext) {
            resolution.put(c, new Ref.ToOption(name));
        } else {
            undefined(name, c.callee().span(), "function");
        }
    }

    private void recursion(Stmt.FunctionDef f, Span at) {
        diagnostics.add(Diagnostic.error(Code.E0111, at,
                f.name().name() + "(...) refers to itself; DFL functions cannot be recursive.",
                "Write the expression out, or use a helper function defined before it."));
    }

    private void undefined(String name, Span span, String what) {
        Stmt later = definedAnywhere.get(name);
        if (later != null) {
            diagnostics.add(Diagnostic.error(what.equals("function") ? Code.E0103 : Code.E0101, span,
                    "'" + name + "' is used before its definition at line " + later.span().startLine() + ".",
                    "Move the definition above this line: names are visible from the statement after their definition."));
            return;
        }
        List<String> candidates = new ArrayList<>(defined.keySet());
        if (currentFunction != null) currentFunction.params().forEach(p -> candidates.add(p.name()));
        if (latent != null) candidates.add(latent);
        builtins.all().stream().map(Builtin::name).forEach(candidates::add);
        Optional<String> guess = Suggest.closest(name, candidates);
        Code code = what.equals("function") ? Code.E0103 : Code.E0101;
        String msg = what.equals("function") ? "there is no function named '" + name + "'." : "'" + name + "' is not defined.";
        diagnostics.add(guess.map(g -> Diagnostic.error(code, span, msg, "Did you mean '" + g + "'?"))
                .orElseGet(() -> Diagnostic.error(code, span, msg)));
    }
}
