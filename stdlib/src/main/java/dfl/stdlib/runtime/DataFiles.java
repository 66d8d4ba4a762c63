package dfl.stdlib.runtime;

import dfl.diag.Code;
import dfl.runtime.DflRuntimeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads observation data: PNG images (grey levels scaled to [-1, 1], the image models' range), NumPy
 * {@code .npy} arrays (float32/float64/int, C order) and CSV numbers. Only regular files are opened, and sizes are
 * checked from the header before anything is decoded (see {@code PngReader}, {@code NpyReader}). Errors are
 * {@link DflRuntimeException}s: E0301 for a file that cannot be read or is malformed, E0302 for one of the wrong size.
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
        DataRoot.requireRegular(path, path.toString());
        String n = path.getFileName().toString().toLowerCase(Locale.ROOT);
        try {
            if (n.endsWith(".png")) return PngReader.read(path, expected);
            if (n.endsWith(".npy")) return NpyReader.read(path, expected);
            if (n.endsWith(".csv")) {
                long size = Files.size(path);
                if (size > MAX_CSV_BYTES) {
                    throw new DflRuntimeException(Code.E0302, "'" + path + "' has " + size + " bytes, more than the "
                            + MAX_CSV_BYTES + " a CSV data file may have");
                }
                return csv(Files.readString(path, StandardCharsets.UTF_8), path);
            }
        } catch (java.nio.file.NoSuchFileException e) {
            throw new DflRuntimeException(Code.E0301, "cannot read data file '" + path + "': no such file");
        } catch (IOException e) {
            throw new DflRuntimeException(Code.E0301, "cannot read data file '" + path + "': " + e.getMessage());
        }
        throw new DflRuntimeException(Code.E0301, "cannot read '" + path + "': only .png, .npy and .csv are supported");
    }

    /**
     * The rows of a {@code .npy} file along its first axis (e.g. [N, 28, 28] gives N rows of 784 values), read and
     * validated like {@link #read}; a 0- or 1-dimensional array is E0302.
     */
    public static double[][] rows(Path path) {
        DataRoot.requireRegular(path, path.toString());
        NpyReader.Shaped a;
        try {
            a = NpyReader.readShaped(path, 0);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new DflRuntimeException(Code.E0301, "cannot read data file '" + path + "': no such file");
        } catch (IOException e) {
            throw new DflRuntimeException(Code.E0301, "cannot read data file '" + path + "': " + e.getMessage());
        }
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
