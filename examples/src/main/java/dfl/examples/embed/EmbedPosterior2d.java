package dfl.examples.embed;

import dfl.api.Dfl;
import dfl.api.DflCompileException;
import dfl.api.DflModel;
import dfl.api.DflRunException;
import dfl.api.Result;
import dfl.api.SamplerRun;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Embeds a DFL model in a Java program: compiles {@code examples/toy/posterior2d.dfl}, binds the
 * observation {@code y} from Java, samples the posterior and prints a summary.
 *
 * <pre>
 * java -cp ... dfl.examples.embed.EmbedPosterior2d [MODEL.dfl] [Y] [OUT_DIR]
 * </pre>
 */
public final class EmbedPosterior2d {

    private EmbedPosterior2d() {}

    /** Compiles the model, binds y, runs TDS with 512 particles and 50 steps, and returns the result. */
    public static Result sample(Path model, double y, long seed) {
        DflModel m = Dfl.compile(model)                 // DflCompileException if the program has errors
                .bind("y", new double[] {y});           // replaces 'y = [1.2];' with data from Java
        try (SamplerRun run = m.sampler()
                .optParticles(512)
                .optSteps(50)
                .optSeed(seed)
                .optDataRoot(model.toAbsolutePath().getParent()) // the model may read files only beside it
                .build()) {
            return run.run();                             // DflRunException on run-time failures
        }
    }

    public static void main(String[] args) throws Exception {
        Path model = Path.of(args.length > 0 ? args[0] : "examples/toy/posterior2d.dfl");
        double y = args.length > 1 ? Double.parseDouble(args[1]) : 1.2;
        try {
            Result r = sample(model, y, 1);
            System.out.println(r.summary());
            System.out.println("posterior mean of x: " + Arrays.toString(Arrays.stream(r.mean())
                    .mapToObj(v -> String.format(Locale.ROOT, "%.3f", v)).toArray()));
            r.logEvidence().ifPresent(z -> System.out.printf(Locale.ROOT, "log p(y = %.2f) ≈ %.3f%n", y, z));
            if (args.length > 2) System.out.println("wrote " + r.writeTo(Path.of(args[2])));
        } catch (DflCompileException e) {
            System.err.println(e.rendered());
            System.exit(65);
        } catch (DflRunException e) {
            System.err.println(e.getMessage());
            System.exit(65);
        }
    }
}
