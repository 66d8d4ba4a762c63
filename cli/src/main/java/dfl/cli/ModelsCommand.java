package dfl.cli;

import dfl.compiler.builtin.Builtin;
import dfl.stdlib.Stdlib;
import dfl.stdlib.builtins.ShippedModels;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code dfl models}: the shipped models with their shapes and schedules, and the built-in functions. */
@Command(name = "models", mixinStandardHelpOptions = true, versionProvider = Version.class, description = "List the shipped models (shapes, schedules) and the built-in functions.")
final class ModelsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        out.println("Shipped models:");
        for (ShippedModels.Info m : ShippedModels.all().values()) {
            out.printf("  %-8s shape %s, schedule %s β %s → %s over %d steps, %d classes%n", m.name(), m.shape(), m.schedule().kind(),
                    m.schedule().betaStart(), m.schedule().betaEnd(), m.schedule().trainSteps(), m.classes());
            out.println("           diffusion(\"" + m.name() + "\"), classifier(\"" + m.name() + "\", label = k): " + m.description());
        }
        out.println();
        out.println("Built-in functions:");
        for (Builtin b : Stdlib.registry().all()) {
            out.printf("  %s%n      %s%n", b.signature().display(b.name()), b.summary());
        }
        return ExitCodes.OK;
    }
}
