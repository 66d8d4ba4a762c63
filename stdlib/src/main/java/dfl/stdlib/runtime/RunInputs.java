package dfl.stdlib.runtime;

import dfl.models.mnist.MnistModels;
import dfl.runtime.output.RunRecord;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files a run read (data, masks, TorchScript and shipped weights), recorded as they are located and hashed
 * (SHA-256) when the run record is made, after the run: summary.json lists them so a rerun can check its inputs.
 */
final class RunInputs {

    private record Source(String role, String name, Path file, String resource) {}

    private final Map<String, Source> seen = new LinkedHashMap<>();

    /** Records {@code file}, which the program names {@code name}, and returns it. */
    synchronized Path file(String role, String name, Path file) {
        seen.putIfAbsent(role + ":" + name, new Source(role, name, file.toAbsolutePath().normalize(), null));
        return file;
    }

    /** Records the shipped MNIST weights {@code weights} ({@link MnistModels#DIFFUSION}, ...) that {@code name} loads. */
    synchronized void shipped(String name, String weights) {
        seen.putIfAbsent("model:" + name, new Source("model", name, null, MnistModels.RESOURCE_DIR + weights + ".params"));
    }

    /** Every input with its SHA-256, in the order they were first used. */
    synchronized List<RunRecord.Input> list() {
        List<RunRecord.Input> out = new ArrayList<>();
        for (Source s : seen.values()) {
            if (s.file() != null) {
                out.add(new RunRecord.Input(s.role(), s.name(), s.file().toString(), hash(s.file())));
            } else {
                out.add(new RunRecord.Input(s.role(), s.name(), "classpath:" + s.resource(), hashResource(s.resource())));
            }
        }
        return out;
    }

    private static String hash(Path file) {
        try {
            return RunRecord.sha256(file);
        } catch (java.io.UncheckedIOException e) {
            return "unreadable";
        }
    }

    private static String hashResource(String resource) {
        try (InputStream in = MnistModels.class.getResourceAsStream(resource)) {
            return in == null ? "missing" : RunRecord.sha256(in);
        } catch (IOException e) {
            return "unreadable";
        }
    }
}
