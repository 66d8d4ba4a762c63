package dfl.cli.repl;

import dfl.compiler.builtin.Builtin;
import dfl.grammar.Parse;
import dfl.stdlib.Stdlib;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The words the REPL completes, with a short description each. Built-ins come from the standard library's
 * registry; sampler names, their arguments and option words are written out from {@code docs/language.md}
 * (the compiler keeps its sampler catalog private), and a test checks each one is accepted by the compiler.
 */
final class Completions {

    private Completions() {}

    static final List<String> SAMPLERS = List.of("reverse", "cfg_reverse", "dps", "tds", "mcgdiff", "annealed");

    static final List<String> KERNELS = List.of("ula", "uhmc", "mala", "hmc");

    /** Arguments of samplers, kernels and MH rules, as {@code name =}. */
    static final List<String> SAMPLER_ARGS = List.of("particles", "steps", "resample", "ess", "twist_var", "tau2", "variant", "spacing", "runs", "scale",
            "levels", "steps_per_level", "kernel", "step_size", "mh", "smc", "adapt", "target_acceptance", "leapfrog", "mass",
            "damping", "points", "rule");

    /** Option words a sampler argument may take. */
    static final List<String> OPTION_WORDS = List.of("systematic", "stratified", "multinomial", "residual", "reference", "none",
            "tweedie", "moment", "second_order", "tail", "quadratic", "uniform", "twisted", "replacement", "energy", "line_integral", "trapezoid", "simpson", "schedule", "true", "false");

    /** Every word and its description, for the completer. */
    static Map<String, String> all(List<String> sessionNames) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String k : Parse.KEYWORDS) m.put(k, "keyword");
        for (Builtin b : Stdlib.registry().all()) m.put(b.name(), b.summary());
        for (String s : SAMPLERS) m.put(s, "sampler");
        for (String k : KERNELS) m.put(k, "MCMC kernel");
        for (String a : SAMPLER_ARGS) m.putIfAbsent(a, "sampler argument");
        for (String w : OPTION_WORDS) m.putIfAbsent(w, "sampler option");
        m.put("null", "the null condition of a conditional network: diffusion(net, cond = null)");
        for (String n : sessionNames) m.put(n, "bound in this session");
        return m;
    }
}
