package dfl.compiler.check;

import dfl.ast.Node;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;

/** The output of name resolution: what each name use and each call refers to. */
final class Resolution {

    private final Map<Node, Ref> refs = new IdentityHashMap<>();
    private String latent;

    void latent(String name) {
        this.latent = name;
    }

    /** The latent's name: named by {@code sample x} or {@code x ~ prior}, or inferred (REPL); empty when there is none. */
    Optional<String> latent() {
        return Optional.ofNullable(latent);
    }

    void put(Node use, Ref ref) {
        refs.put(use, ref);
    }

    /** The referent of a {@code Var} or the callee of a {@code Call}; empty when it did not resolve. */
    Optional<Ref> of(Node use) {
        return Optional.ofNullable(refs.get(use));
    }
}
