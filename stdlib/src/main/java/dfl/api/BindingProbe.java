package dfl.api;

import dfl.ast.Expr;
import dfl.compiler.Compiler;
import dfl.compiler.builtin.Args;
import dfl.compiler.builtin.Builtin;
import dfl.compiler.builtin.BuiltinRegistry;
import dfl.compiler.builtin.Param;
import dfl.compiler.builtin.Signature;
import dfl.compiler.value.Value;
import dfl.source.SourceFile;
import dfl.stdlib.Stdlib;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Asks the compiler what a top-level name means, without any new compiler API: the program is compiled
 * with one extra statement {@code _dfl_probe = _dfl_show(NAME);} whose built-in records the compile-time
 * {@link Value} of its argument. Like every compile, this reads no file and runs no user code.
 * Used by {@link DflModel#bind} (a binding's shape) and by the REPL's {@code :show}.
 */
public final class BindingProbe {

    /** The built-in's name; starts with '_' so it is never reported unused and cannot clash with stdlib names. */
    static final String PROBE = "_dfl_show";

    private BindingProbe() {}

    /**
     * The compile-time value of {@code name} as of the end of {@code source}: empty when the name is not
     * bound there or its definition has errors.
     */
    public static Optional<Value> valueOf(SourceFile source, String name, Map<String, Value> overrides, boolean allowRedefinition) {
        AtomicReference<Value> seen = new AtomicReference<>();
        BuiltinRegistry registry = Stdlib.registry();
        registry.register(new Builtin() {
            @Override
            public String name() {
                return PROBE;
            }

            @Override
            public Signature signature() {
                return Signature.of(Param.required("value", "any value"));
            }

            @Override
            public String summary() {
                return "internal: records the value of its argument";
            }

            @Override
            public Value apply(Expr.Call call, Args args) {
                args.value("value").ifPresent(seen::set);
                return new Value.Num(0);
            }
        });
        Compiler.Builder b = Compiler.builder().setBuiltins(registry).optRequireSample(false).optAllowRedefinition(allowRedefinition);
        overrides.forEach(b::optOverride);
        String text = source.text();
        String probed = text + (text.isEmpty() || text.endsWith("\n") ? "" : "\n") + "_dfl_probe = " + PROBE + "(" + name + ");\n";
        b.build().compile(new SourceFile(source.name(), probed));
        Value v = seen.get();
        return v == null || v instanceof Value.Error ? Optional.empty() : Optional.of(v);
    }
}
