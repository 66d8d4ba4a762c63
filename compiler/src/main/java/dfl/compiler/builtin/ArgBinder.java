package dfl.compiler.builtin;

import dfl.ast.Arg;
import dfl.ast.Expr;
import dfl.diag.Code;
import dfl.diag.Diagnostic;
import dfl.diag.Suggest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Binds the arguments of a call to a signature, reporting every mismatch with a location. */
public final class ArgBinder {

    private ArgBinder() {}

    /**
     * Binds positional arguments in order and named ones by name; a variadic built-in collects all
     * positional arguments and takes its declared parameters by name only. Reports unknown names (with a
     * suggestion), arguments given twice, positional after named, too many arguments and missing
     * required ones.
     */
    public static Args bind(String fname, Expr.Call call, Signature sig, EvalContext ctx) {
        Map<String, Arg> named = new LinkedHashMap<>();
        List<Arg> extra = new ArrayList<>();
        boolean failed = false;
        boolean sawNamed = false;
        int position = 0;
        List<String> names = sig.params().stream().map(Param::name).toList();
        for (Arg a : call.args()) {
            if (a.name().isPresent()) {
                sawNamed = true;
                String n = a.name().get().name();
                if (!names.contains(n)) {
                    String[] hints = Suggest.closest(n, names).map(s -> "Did you mean '" + s + "'?")
                            .map(h -> new String[] {h}).orElse(new String[] {"Parameters: " + sig.display(fname) + "."});
                    ctx.report(Diagnostic.error(Code.E0105, a.name().get().span(),
                            fname + "(...) has no parameter named '" + n + "'.", hints));
                    failed = true;
                } else if (named.containsKey(n)) {
                    ctx.report(Diagnostic.error(Code.E0109, a.span(), "'" + n + "' is given twice in this call to " + fname + "(...)."));
                    failed = true;
                } else {
                    named.put(n, a);
                }
            } else if (sawNamed) {
                ctx.report(Diagnostic.error(Code.E0110, a.span(),
                        "a positional argument cannot follow a named one.", "Name it, or move it before the named arguments."));
                failed = true;
            } else if (sig.variadic()) {
                extra.add(a);
            } else if (position < names.size()) {
                String n = names.get(position++);
                named.put(n, a);
            } else {
                ctx.report(Diagnostic.error(Code.E0104, a.span(),
                        fname + "(...) takes at most " + names.size() + " argument" + (names.size() == 1 ? "" : "s")
                                + ", but this is argument " + (position + 1) + ".",
                        "Parameters: " + sig.display(fname) + "."));
                failed = true;
                position++;
            }
        }
        for (Param p : sig.params()) {
            if (p.required() && !named.containsKey(p.name())) {
                ctx.report(Diagnostic.error(Code.E0106, call.span(),
                        fname + "(...) needs '" + p.name() + "' (" + p.expects() + ").",
                        "Parameters: " + sig.display(fname) + "."));
                failed = true;
            }
        }
        return new Args(call, named, extra, ctx, failed);
    }
}
