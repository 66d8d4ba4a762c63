package dfl.stdlib.runtime;

import dfl.diag.Code;
import dfl.runtime.DflRuntimeException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reads observation data: PNG images (grey levels scaled to [-1, 1], the image models' range), NumPy
 * {@code .npy} arrays (float32/float64/int, C order) and CSV numbers. Only regular files are opened, and sizes are
 * checked from the header before anything is decoded (see {@code PngReader}, {@code NpyReader}). Errors are
 * {@link DflRuntimeException}s: E0301 for a file that cannot be read or is malformed, E0302 for one of the wrong size,
 * E0309 when there is not enough memory; each read is bounded in time and can be cancelled ({@code BoundedRead}), and
 * opened so that a file swapped in after the checks is refused ({@code DataRoot.openRegular}).
 */
public final class DataFiles {

    /** The most values (pixels, array elements) one data file may hold: a 4096×4096 image. */
    public static final long MAX_VALUES = 1L << 24;

    /** The largest CSV file read, in bytes. */
    public static final long MAX_CSV_BYTES = 64L << 20;

    private DataFiles() {}

    /** All values of the file, row-major, as doubles (any number of values up to {@link #MAX_VALUES}). */
    public static double[] read(Path path) {
        return read(path, 0);
    }

    /**
     * All values of the file, row-major, as doubles; {@code expected} > 0 is the number of values the model needs, and a
     * PNG or .npy whose header declares another number is E0302 before its data is decoded.
     */
    public static double[] read(Path path, long expected) {
        return read(path, expected, null);
    }

    /**
     * {@link #read(Path, long)} that stops when {@code cancel} (may be null) is set ({@link
     * java.util.concurrent.CancellationException}) or after the time limit of {@code BoundedRead} (E0301): the read runs
     * on its own thread, so a file that blocks cannot hold the run.
     */
    public static double[] read(Path path, long expected, AtomicBoolean cancel) {
        return read(path, expected, cancel, false);
    }

    /** {@code confined}: {@code path} is a real path inside a data root ({@code DataRoot.confine}), and must stay so. */
    static double[] read(Path path, long expected, AtomicBoolean cancel, boolean confined) {
        String n = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!(n.endsWith(".png") || n.endsWith(".npy") || n.endsWith(".csv"))) {
            throw new DflRuntimeException(Code.E0301, "cannot read '" + path + "': only .png, .npy and .csv are supported");
        }
        return opened(path, cancel, confined, ch -> {
            if (n.endsWith(".png")) return PngReader.read(ch, path, expected);
            if (n.endsWith(".npy")) return NpyReader.read(ch, path, expected);
            return csv(csvText(ch, path), path);
        });
    }

    /** What a reader does with an opened data file. */
    private interface ChannelReader<T> {
        T read(FileChannel ch) throws IOException;
    }

    /**
     * {@code reader}'s result for {@code path}, a regular file opened by {@code DataRoot.openRegular} on a thread of its own
     * ({@code BoundedRead}: cancellable, time-bounded, never an {@link Error}); I/O failures are E0301 saying why.
     */
    private static <T> T opened(Path path, AtomicBoolean cancel, boolean confined, ChannelReader<T> reader) {
        DataRoot.requireRegular(path, path.toString());
        return BoundedRead.call(path, path.toString(), () -> {
            try (FileChannel ch = DataRoot.openRegular(path, path.toString(), confined)) {
                return reader.read(ch);
            } catch (IOException e) {
                throw new DflRuntimeException(Code.E0301, "cannot read data file '" + path + "': " + why(e));
            }
        }, cancel);
    }

    /**
     * Why an I/O operation failed, in words: {@link IOException#getMessage()} of a file-system exception is often just the
     * file's name ("cannot read 'f': f"), so the kind of failure is named instead.
     */
    public static String why(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) return "no such file";
        if (e instanceof java.nio.file.AccessDeniedException) return "permission denied";
        if (e instanceof java.nio.file.NotDirectoryException) return "a folder on its path is a file";
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) return f.getReason();
        if (e instanceof java.nio.file.FileSystemException) return e.getClass().getSimpleName().replace("Exception", "");
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /** The text of a CSV file of at most {@link #MAX_CSV_BYTES}, counted as read (a file that grows meanwhile is cut off). */
    private static String csvText(FileChannel ch, Path path) throws IOException {
        long size = ch.size();
        if (size > MAX_CSV_BYTES) throw tooLarge(path, size);
        ByteBuffer buf = ByteBuffer.allocate((int) size + 1);
        while (buf.hasRemaining() && ch.read(buf) >= 0) {
            // read up to one byte more than the size said, to notice a file that grew
        }
        if (buf.position() > MAX_CSV_BYTES) throw tooLarge(path, buf.position());
        return new String(buf.array(), 0, Math.min(buf.position(), (int) size), StandardCharsets.UTF_8);
    }

    private static DflRuntimeException tooLarge(Path path, long size) {
        return new DflRuntimeException(Code.E0302, "'" + path + "' has " + size + " bytes, more than the " + MAX_CSV_BYTES
                + " a CSV data file may have");
    }

    /**
     * The rows of a {@code .npy} file along its first axis (e.g. [N, 28, 28] gives N rows of 784 values), read and
     * validated like {@link #read}; a 0- or 1-dimensional array is E0302.
     */
    public static double[][] rows(Path path) {
        NpyReader.Shaped a = opened(path, null, false, ch -> NpyReader.readShaped(ch, path, 0));
        if (a.shape().length < 2) {
            throw new DflRuntimeException(Code.E0302, "'" + path + "' has shape " + java.util.Arrays.toString(a.shape())
                    + "; a file of observations needs a first axis that indexes them, e.g. [N, 28, 28]");
        }
        int n = (int) a.shape()[0];
        int width = n == 0 ? 0 : a.values().length / n;
        double[][] out = new double[n][];
        for (int i = 0; i < n; i++) out[i] = java.util.Arrays.copyOfRange(a.values(), i * width, (i + 1) * width);
        return out;
    }

    /** A decimal number as CSV writers print it: no hexadecimal, no Java suffixes ({@code 1f}), no NaN or Infinity. */
    private static final java.util.regex.Pattern NUMBER =
            java.util.regex.Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    static double[] csv(String text, Path path) {
        List<Double> out = new ArrayList<>();
        int line = 0;
        for (String row : text.split("\\R")) {
            line++;
            if (row.isBlank() || row.startsWith("#")) continue;
            for (String cell : row.split("[,;\\s]+")) {
                if (cell.isBlank()) continue;
                String t = cell.trim();
                double v = NUMBER.matcher(t).matches() ? Double.parseDouble(t) : Double.NaN;
                if (!Double.isFinite(v)) {
                    throw new DflRuntimeException(Code.E0301, "'" + path + "', line " + line + ": '"
                            + (t.length() > 40 ? t.substring(0, 37) + "..." : t) + "' is not a finite decimal number");
                }
                out.add(v);
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
