package dfl.stdlib.builtins;

import dfl.compiler.builtin.Builtin;
import java.util.ArrayList;
import java.util.List;

/** The list of standard built-ins, in the order the docs present them. */
public final class StdlibBuiltins {

    private StdlibBuiltins() {}

    public static List<Builtin> all() {
        List<Builtin> all = new ArrayList<>(ModelBuiltins.all());
        all.addAll(TensorBuiltins.all());
        all.addAll(OperatorBuiltins.all());
        all.addAll(LikelihoodBuiltins.all());
        return all;
    }
}
