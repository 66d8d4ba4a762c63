package dfl.compiler.builtin;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The parameters of a built-in, in positional order. A {@code variadic} built-in (e.g.
 * {@code mix(p, q, r, weights = [...])}) collects every positional argument in order and takes its
 * declared parameters by name only.
 */
public record Signature(List<Param> params, boolean variadic) {

    public Signature {
        params = List.copyOf(params);
    }

    public static Signature of(Param... params) {
        return new Signature(List.of(params), false);
    }

    public static Signature variadic(Param... named) {
        return new Signature(List.of(named), true);
    }

    /** {@code name(a, b?, ...)} for messages and documentation. */
    public String display(String name) {
        String ps = params.stream().map(Param::display).collect(Collectors.joining(", "));
        return name + "(" + (variadic ? (ps.isEmpty() ? "..." : "..., " + ps) : ps) + ")";
    }
}
