package dfl.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code dfl} in a JVM of its own (the test's classpath), for tests that kill it or limit its memory. */
final class CliProcess {

    private CliProcess() {}

    /** Starts {@code dfl ARGS} in {@code dir} with extra JVM options, offline and with one PyTorch thread. */
    static Process start(Path dir, List<String> jvmOptions, String... args) throws java.io.IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true", "-Dai.djl.pytorch.num_threads=1",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dfl.cli.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().put("DJL_OFFLINE", "true");
        pb.environment().put("OPT_OUT_TRACKING", "true");
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        return pb.start();
    }
}
