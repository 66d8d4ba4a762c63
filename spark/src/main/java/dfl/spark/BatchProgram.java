package dfl.spark;

import dfl.api.Dfl;
import dfl.api.DflModel;
import dfl.source.SourceFile;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an executor needs to compile the batch's program by itself: the source text (shipped with the tasks, so the
 * program file need not be on the executors), the folders its relative paths resolve against, the {@code --set}
 * values, the name of the binding each observation replaces, and the run sizes. Equal programs share one compiled
 * model per executor ({@link ExecutorState}).
 *
 * @param name       the program's file name, for diagnostics
 * @param text       the program's source
 * @param modelDir   the program file's folder (relative data paths are looked up there too), or null
 * @param workingDir the folder relative paths resolve against first, or null for the executor's working directory
 * @param sets       numbers replacing top-level bindings ({@code --set})
 * @param data       the binding each observation replaces ({@code y} of {@code --data y=PATH})
 * @param particles  particles per run, 0 for the program's
 * @param steps      sampling steps per run, 0 for the program's
 */
record BatchProgram(String name, String text, String modelDir, String workingDir, Map<String, Double> sets, String data,
        int particles, int steps) implements Serializable {

    BatchProgram {
        sets = new LinkedHashMap<>(sets);
    }

    /** Compiles the program with these settings (a {@link dfl.api.DflCompileException} for errors). */
    DflModel compile() {
        Dfl.Builder b = Dfl.builder();
        if (modelDir != null) b.optModelDir(Path.of(modelDir));
        if (workingDir != null) b.optWorkingDir(Path.of(workingDir));
        sets.forEach(b::optSet);
        return b.compile(new SourceFile(name, text));
    }
}
