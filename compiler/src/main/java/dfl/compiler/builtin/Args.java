package dfl.compiler.builtin;

import dfl.ast.Arg;
import dfl.ast.Expr;
import dfl.compiler.value.Value;
import dfl.diag.Code;
import dfl.diag.Diagnostic;
import dfl.source.Span;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The arguments of one call bound to a {@link Signature}, with typed accessors that evaluate the
 * argument and report a located diagnostic when it has the wrong kind or value. Accessors return
 * empty/defaults after reporting, so a built-in can check every argument and report all problems.
 */
public final class Args {

    private final Expr.Call call;
    private final Map<String, Arg> named;
    private final List<Arg> extra;
    private final EvalContext ctx;
    private final Map<Arg, Value> values = new IdentityHashMap<>();
    private boolean failed;

    Args(Expr.Call call, Map<String, Arg> named, List<Arg> extra, EvalContext ctx, boolean failed) {
        this.call = call;
        this.named = named;
        this.extra = extra;
        this.ctx = ctx;
        this.failed = failed;
    }

    /** Whether binding or any accessor reported an error. */
    public boolean failed() {
        return failed;
    }

    /** Marks the call failed because a nested call (e.g. a kernel's settings) reported an error. */
    public void markFailed() {
        failed = true;
    }

    public boolean has(String name) {
        return named.containsKey(name);
    }

    /** The names that were given. */
    public Collection<String> given() {
        return named.keySet();
    }

    /** The source span of an argument, or of the whole call when it was not given. */
    public Span span(String name) {
        Arg a = named.get(name);
        return a == null ? call.span() : a.value().span();
    }

    /** The argument's expression as written, if given. */
    public Optional<Expr> expr(String name) {
        return Optional.ofNullable(named.get(name)).map(Arg::value);
    }

    /** The evaluated argument, if given. */
    public Optional<Value> value(String name) {
        Arg a = named.get(name);
        return a == null ? Optional.empty() : Optional.of(valueOf(a));
    }

    /** Extra positional arguments of a variadic built-in, evaluated. */
    public List<Value> extra() {
        List<Value> out = new ArrayList<>();
        for (Arg a : extra) out.add(valueOf(a));
        return out;
    }

    /** Spans of the extra positional arguments. */
    public List<Span> extraSpans() {
        return extra.stream().map(a -> a.value().span()).toList();
    }

    /** A number argument; reports E0107 if it is another kind. */
    public Optional<Double> number(String name) {
        Optional<Value> v = value(name);
        if (v.isEmpty() || v.get() instanceof Value.Error) return Optional.empty();
        if (v.get() instanceof Value.Num n) return Optional.of(n.value());
        kindError(name, "a number", v.get());
        return Optional.empty();
    }

    public double number(String name, double fallback) {
        return number(name).orElse(fallback);
    }

    /** A number argument that must be strictly positive. */
    public double positive(String name, double fallback) {
        Optional<Double> v = number(name);
        if (v.isPresent() && !(v.get() > 0 && v.get() < Double.POSITIVE_INFINITY)) {
            invalid(name, "'" + name + "' must be " + (v.get() > 0 ? "finite" : "positive") + ", got " + fmt(v.get()) + ".");
            return fallback;
        }
        return v.orElse(fallback);
    }

    /** A whole number argument at least {@code min}. */
    public int integer(String name, int fallback, int min) {
        Optional<Double> v = number(name);
        if (v.isEmpty()) return fallback;
        double d = v.get();
        if (d != Math.rint(d) || d < min || d > Integer.MAX_VALUE) {
            invalid(name, "'" + name + "' must be a whole number of at least " + min + ", got " + fmt(d) + ".");
            return fallback;
        }
        return (int) d;
    }

    /** A string argument; reports E0107 if it is another kind. */
    public Optional<String> string(String name) {
        Optional<Value> v = value(name);
        if (v.isEmpty() || v.get() instanceof Value.Error) return Optional.empty();
        if (v.get() instanceof Value.Str s) return Optional.of(s.value());
        kindError(name, "a string", v.get());
        return Optional.empty();
    }

    /** A {@code true} or {@code false} argument (the word, or the same as a string); reports E0107 for anything else. */
    public boolean bool(String name, boolean fallback) {
        Optional<Value> v = value(name);
        if (v.isEmpty() || v.get() instanceof Value.Error) return fallback;
        Object word = v.get() instanceof Value.Option o ? o.option() : v.get() instanceof Value.Str s ? s.value() : null;
        if ("true".equals(word) || "false".equals(word)) return word.equals("true");
        kindError(name, "true or false", v.get());
        return fallback;
    }

    /** A tensor argument (a number is not accepted). */
    public Optional<Value.Tensor> tensor(String name) {
        Optional<Value> v = value(name);
        if (v.isEmpty() || v.get() instanceof Value.Error) return Optional.empty();
        if (v.get() instanceof Value.Tensor t) return Optional.of(t);
        kindError(name, "a tensor", v.get());
        return Optional.empty();
    }

    /** A density argument. */
    public Optional<Value.Dens> density(String name) {
        Optional<Value> v = value(name);
        if (v.isEmpty() || v.get() instanceof Value.Error) return Optional.empty();
        if (v.get() instanceof Value.Dens d) return Optional.of(d);
        kindError(name, "a density", v.get());
        return Optional.empty();
    }

    /** Reports that argument {@code name} has the wrong kind (E0107). */
    public void kindError(String name, String expected, Value got) {
        error(Diagnostic.error(Code.E0107, span(name),
                "'" + name + "' of " + call.callee().name() + "(...) must be " + expected + ", but this is " + got.describe() + "."));
    }

    /** Reports an invalid value of argument {@code name} (E0113). */
    public void invalid(String name, String message, String... hints) {
        error(Diagnostic.error(Code.E0113, span(name), message, hints));
    }

    /** Reports any diagnostic and marks the call failed if it is an error. */
    public void error(Diagnostic d) {
        if (d.isError()) failed = true;
        ctx.report(d);
    }

    /** The context, for built-ins that evaluate further expressions. */
    public EvalContext context() {
        return ctx;
    }

    private Value valueOf(Arg a) {
        Value v = values.computeIfAbsent(a, x -> ctx.eval(x.value()));
        if (v instanceof Value.Error) failed = true;
        return v;
    }

    /** Formats a number as users wrote it: whole numbers without a trailing ".0". */
    public static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d);
    }
}
