package dfl.runtime.output;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a run was made, written into summary.json and trace.csv so that it can be repeated and its inputs checked: the
 * command line, the overrides of the program's settings, the program's path and SHA-256, every data and model file the
 * run read with its SHA-256, when it started and how many threads it used. The build's version, commit and libtorch
 * version are added by {@link RunOutputs} itself.
 *
 * @param commandLine    the command line that asked for the run ({@code dfl run m.dfl --seed 2 ...}); empty when embedded
 * @param sets           {@code --set NAME=VALUE} (and numbers bound from Java), by name
 * @param particles      the particles given on the command line or to the builder, 0 when the program's were kept
 * @param steps          the steps given on the command line or to the builder, 0 when the program's were kept
 * @param program        the program's path (absolute when it came from a file), or its name
 * @param programSha256  the SHA-256 of the program's text (UTF-8)
 * @param inputs         files and arrays the run read: data ({@code load}, {@code --data}, masks), model weights
 * @param started        when sampling started
 * @param threads        the threads sampling used
 */
public record RunRecord(List<String> commandLine, Map<String, Double> sets, int particles, int steps, String program,
        String programSha256, List<Input> inputs, Instant started, Threads threads) {

    public RunRecord {
        commandLine = List.copyOf(commandLine);
        sets = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(sets));
        inputs = List.copyOf(inputs);
    }

    /**
     * One input of a run.
     *
     * @param role     {@code data} (a file the program or {@code --data} names), {@code bound} (an array bound from Java),
     *                 {@code model} (network weights, shipped or TorchScript)
     * @param name     the name in the program ({@code y}, or the path as written in {@code load(...)}), or the model's name
     * @param location the file's absolute path, or the class-path resource of shipped weights; empty for a bound array
     * @param sha256   the SHA-256 of the file's bytes (of the float64 little-endian values for a bound array)
     */
    public record Input(String role, String name, String location, String sha256) {}

    /**
     * @param libtorchIntraOp libtorch's intra-op threads (0 when libtorch was not loaded)
     * @param libtorchInterOp libtorch's inter-op threads (0 when libtorch was not loaded)
     * @param java            Java threads that ran sampling code (the runtime samples on the calling thread: 1)
     */
    public record Threads(int libtorchIntraOp, int libtorchInterOp, int java) {
        /** The threads of this JVM's sampling now: libtorch's settings and the one calling thread. */
        public static Threads current() {
            return new Threads(dfl.runtime.LibTorch.intraOpThreads(), dfl.runtime.LibTorch.interOpThreads(), 1);
        }
    }

    /** The overrides as summary.json writes them: {@code set}, {@code particles}, {@code steps}, {@code data}. */
    Map<String, Object> overrides() {
        Map<String, Object> o = new LinkedHashMap<>();
        if (!sets.isEmpty()) o.put("set", sets);
        if (particles > 0) o.put("particles", particles);
        if (steps > 0) o.put("steps", steps);
        Map<String, String> data = new LinkedHashMap<>();
        for (Input i : inputs) {
            if (i.role().equals("bound")) data.put(i.name(), i.location().isEmpty() ? "(array)" : i.location());
        }
        if (!data.isEmpty()) o.put("data", data);
        return o;
    }

    /** The hex SHA-256 of {@code bytes}. */
    public static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    /** The hex SHA-256 of a file's bytes. */
    public static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return sha256(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hash " + file + ": " + e.getMessage(), e);
        }
    }

    /** The hex SHA-256 of a stream's bytes (read to the end, not closed). */
    public static String sha256(InputStream in) throws IOException {
        MessageDigest md = digest();
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) > 0;) md.update(buf, 0, n);
        return HexFormat.of().formatHex(md.digest());
    }

    /** The hex SHA-256 of values as float64 little-endian (what {@code np.asarray(v, '<f8').tobytes()} hashes to). */
    public static String sha256(double[] values) {
        ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) b.putDouble(v);
        return sha256(b.array());
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
