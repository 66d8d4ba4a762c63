package dfl.cli;

import dfl.api.DflCompileException;
import dfl.api.DflModel;
import dfl.api.DflRunException;
import dfl.api.SamplerRun;
import dfl.diag.Code;
import dfl.diag.Diagnostic;
import dfl.source.Span;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The options of a run, shared by {@code dfl run} and the REPL's {@code :run}: seed, sizes (the program's unless given),
 * output folder, plots, and data files bound to names ({@code --data y=obs.npy}).
 */
public final class SamplingOptions {

    @Option(names = "--seed", paramLabel = "N", description = "master seed (default ${DEFAULT-VALUE}); same seed, same output", defaultValue = "0")
    public long seed;

    @Option(names = "--out", paramLabel = "DIR", description = "output folder (default: the sample statement's 'into', else out/<model>/)")
    public Path out;

    @Option(names = "--particles", paramLabel = "K", description = "number of particles / samples, overriding the file")
    public Integer particles;

    @Option(names = "--steps", paramLabel = "T", description = "number of sampling steps (levels for annealed MCMC), overriding the file")
    public Integer steps;

    @Option(names = "--plots", description = "also write ess.png and max_weight.png (SMC) or acceptance.png (MCMC) beside the samples")
    public boolean plots;

    @Option(names = "--data", paramLabel = "NAME=FILE", description = "bind the contents of a .npy, .png or .csv file to the binding NAME, "
            + "keeping the file's shape where the program gives none, e.g. --data y=obs.npy")
    public Map<String, Path> data = new LinkedHashMap<>();

    /** The problem with the sizes, or null. */
    public String invalidSizes() {
        return (particles != null && particles < 1) || (steps != null && steps < 1) ? "--particles and --steps must be at least 1" : null;
    }

    /** A sampler builder with the seed and only the sizes that were given (the program's otherwise). */
    public SamplerRun.Builder sampler(DflModel m) {
        SamplerRun.Builder b = m.sampler().optSeed(seed);
        if (particles != null) b.optParticles(particles);
        if (steps != null) b.optSteps(steps);
        return b;
    }

    /** Thrown when {@code --data} cannot be bound; the diagnostics are rendered against the model. */
    public static final class DataBindingException extends Exception {
        private final List<Diagnostic> diagnostics;

        DataBindingException(List<Diagnostic> diagnostics) {
            super(diagnostics.get(0).message());
            this.diagnostics = List.copyOf(diagnostics);
        }

        public List<Diagnostic> diagnostics() {
            return diagnostics;
        }
    }

    /**
     * {@code m} with every {@code --data} and {@code extra} file bound (through {@link DflModel#bind(String, Path)});
     * relative paths resolve against {@code cwd}.
     */
    public DflModel bind(DflModel m, Path cwd, Map<String, Path> extra) throws DataBindingException {
        Map<String, Path> all = new LinkedHashMap<>(extra);
        all.putAll(data);
        DflModel bound = m;
        for (Map.Entry<String, Path> e : all.entrySet()) {
            Path file = cwd == null ? e.getValue() : cwd.resolve(e.getValue());
            String what = "--data " + e.getKey() + "=" + e.getValue();
            try {
                bound = bound.bind(e.getKey(), file);
            } catch (DflRunException ex) {
                throw new DataBindingException(List.of(Diagnostic.error(ex.code(), Span.NONE, what + ": " + ex.diagnostic().message())));
            } catch (DflCompileException ex) {
                throw new DataBindingException(ex.diagnostics());
            } catch (IllegalArgumentException ex) {
                throw new DataBindingException(List.of(Diagnostic.error(Code.E0321, Span.NONE, what + ": " + ex.getMessage())));
            }
        }
        return bound;
    }
}
