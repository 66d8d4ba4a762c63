package dfl.compiler.builtin;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The built-ins the compiler resolves names against. The standard library fills one registry
 * ({@code dfl.stdlib.Stdlib.registry()}); tests may build their own.
 */
public final class BuiltinRegistry {

    private final Map<String, Builtin> builtins = new LinkedHashMap<>();

    /** Adds a built-in; a second one with the same name is a programming error. */
    public BuiltinRegistry register(Builtin builtin) {
        if (builtins.putIfAbsent(builtin.name(), builtin) != null) {
            throw new IllegalStateException("built-in registered twice: " + builtin.name());
        }
        return this;
    }

    public Optional<Builtin> lookup(String name) {
        return Optional.ofNullable(builtins.get(name));
    }

    /** All built-ins in registration order. */
    public Collection<Builtin> all() {
        return Collections.unmodifiableCollection(builtins.values());
    }
}
