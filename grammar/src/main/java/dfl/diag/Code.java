package dfl.diag;

/**
 * Every diagnostic code DFL can report. Codes are stable: once published a code keeps its meaning.
 * {@code docs/diagnostics.md} lists them with the same titles; a test keeps the two in step.
 *
 * <p>Ranges: E00xx syntax, E01xx names and kinds/types, E02xx composition and samplers,
 * E03xx data and run-time model errors, W0xxx warnings.
 */
public enum Code {
    // --- syntax (grammar) ---
    E0001("E0001", "unexpected character"),
    E0002("E0002", "unterminated string or comment"),
    E0003("E0003", "syntax error"),
    E0004("E0004", "nesting too deep"),
    E0005("E0005", "invalid number literal"),
    E0006("E0006", "program too large"),

    // --- names, kinds, types and shapes (compiler) ---
    E0101("E0101", "undefined name"),
    E0102("E0102", "name defined twice"),
    E0103("E0103", "unknown function"),
    E0104("E0104", "wrong number of arguments"),
    E0105("E0105", "unknown named argument"),
    E0106("E0106", "missing required argument"),
    E0107("E0107", "wrong kind of value"),
    E0108("E0108", "shape mismatch"),
    E0109("E0109", "argument given twice"),
    E0110("E0110", "positional argument after named argument"),
    E0111("E0111", "recursive function"),
    E0112("E0112", "not a function"),
    E0113("E0113", "invalid argument value"),
    E0114("E0114", "ragged or empty literal"),
    E0115("E0115", "operator not defined for these kinds"),
    E0116("E0116", "data outside the distribution's support"),
    E0117("E0117", "program expands beyond the compile budget"),

    // --- model structure, composition and samplers (compiler) ---
    E0201("E0201", "no sample statement"),
    E0202("E0202", "more than one sample statement"),
    E0203("E0203", "no latent variable"),
    E0204("E0204", "latent declared twice"),
    E0205("E0205", "sampled variable is not the latent"),
    E0206("E0206", "observed data is the latent"),
    E0207("E0207", "not a distribution"),
    E0208("E0208", "power needs a number"),
    E0209("E0209", "mixture needs energies"),
    E0210("E0210", "sampler needs exactly one diffusion prior"),
    E0211("E0211", "product of diffusion priors needs annealed MCMC"),
    E0212("E0212", "unknown sampler"),
    E0213("E0213", "energy Metropolis-Hastings needs energies"),
    E0214("E0214", "compose given twice"),
    E0215("E0215", "no prior for the latent"),
    E0216("E0216", "statement after sample"),
    E0217("E0217", "composition not normalisable"),
    E0218("E0218", "sampler needs linear-Gaussian observations"),

    // --- data and run time ---
    E0301("E0301", "cannot read data file"),
    E0302("E0302", "data does not match the model"),
    E0303("E0303", "numerical failure"),
    E0304("E0304", "all weights are zero"),
    E0305("E0305", "unknown model"),
    E0306("E0306", "file access denied"),
    E0307("E0307", "invalid --set value"),
    E0308("E0308", "data outside the distribution's support"),
    E0309("E0309", "not enough memory"),
    E0320("E0320", "libtorch unavailable on this platform"),
    E0321("E0321", "invalid --data binding"),

    // --- warnings ---
    W0001("W0001", "unused binding"),
    W0002("W0002", "non-positive power"),
    W0003("W0003", "observation cannot influence the latent"),
    W0004("W0004", "sampler setting ignored"),
    /** Reported after a run (never by the compiler): see {@link #atRunTime()}. */
    W0005("W0005", "degenerate weights"),
    /** Reported after a run (never by the compiler): see {@link #atRunTime()}. */
    W0006("W0006", "output far outside the prior's range");

    private final String id;
    private final String title;

    Code(String id, String title) {
        this.id = id;
        this.title = title;
    }

    /** The printed code, e.g. {@code DFL-E0107}. */
    public String printed() {
        return "DFL-" + id;
    }

    /** Whether the code is reported when a model runs (E03xx, W0005, W0006) rather than by the compiler. */
    public boolean atRunTime() {
        return id.startsWith("E03") || this == W0005 || this == W0006;
    }

    /** A few words saying what the code is about; used in the diagnostics list. */
    public String title() {
        return title;
    }
}
