package dfl.cli.repl;

import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The options of {@code :run}, parsed by picocli like those of {@code dfl run}. */
@Command(name = ":run")
final class RunArgs {

    @Option(names = "--particles", paramLabel = "K")
    Integer particles;

    @Option(names = "--steps", paramLabel = "T")
    Integer steps;

    @Option(names = "--seed", paramLabel = "N")
    long seed;

    @Option(names = "--out", paramLabel = "DIR")
    Path out;

    @Option(names = "--plots")
    boolean plots;
}
