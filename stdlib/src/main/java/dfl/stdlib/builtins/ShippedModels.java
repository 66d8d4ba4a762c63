package dfl.stdlib.builtins;

import dfl.plan.Schedule;
import dfl.plan.Shape;
import java.util.Map;
import java.util.Optional;

/** The models DFL ships as resources: their sample shape, noise schedule and number of classes. */
public final class ShippedModels {

    /** One shipped model family. */
    public record Info(String name, Shape shape, Schedule schedule, int classes, String description) {}

    private static final Map<String, Info> MODELS = Map.of(
            "mnist", new Info("mnist", Shape.of(1, 28, 28), Schedule.DEFAULT, 10,
                    "MNIST digits in [-1, 1]: a U-Net ε-model and a digit classifier trained by DFL's own code"));

    /**
     * The shipped conditional networks ε̂(x, t, c), by the name {@code diffusion(name, cond = c)} uses: their labels are
     * 0 to {@link Info#classes()} − 1 and {@code cond = null} is the null label; an entry here and its loader in
     * {@code dfl.stdlib.runtime.ShippedModelLoader#conditional} make {@code diffusion("name", cond = k)} work.
     */
    private static final Map<String, Info> CONDITIONAL = Map.of(
            "mnist", new Info("mnist", Shape.of(1, 28, 28), Schedule.DEFAULT, 10,
                    "MNIST digits in [-1, 1]: a class-conditional U-Net ε-model (labels 0–9, null label for classifier-free "
                            + "guidance), fine-tuned from the unconditional one by DFL's own code"));

    private ShippedModels() {}

    /** The shipped conditional network {@code name}, if one ships. */
    public static Optional<Info> conditional(String name) {
        return Optional.ofNullable(CONDITIONAL.get(name));
    }

    public static Optional<Info> lookup(String name) {
        return Optional.ofNullable(MODELS.get(name));
    }

    public static Map<String, Info> all() {
        return MODELS;
    }
}
