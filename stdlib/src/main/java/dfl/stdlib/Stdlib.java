package dfl.stdlib;

import dfl.compiler.builtin.BuiltinRegistry;
import dfl.stdlib.builtins.StdlibBuiltins;

/** DFL's standard library: the built-ins every program can use, and the shipped models. */
public final class Stdlib {

    private Stdlib() {}

    /** A fresh registry holding every standard built-in. */
    public static BuiltinRegistry registry() {
        BuiltinRegistry r = new BuiltinRegistry();
        StdlibBuiltins.all().forEach(r::register);
        return r;
    }
}
