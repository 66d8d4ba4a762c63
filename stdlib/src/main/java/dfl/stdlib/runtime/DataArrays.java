package dfl.stdlib.runtime;

import dfl.diag.Code;
import dfl.runtime.DflRuntimeException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * A data file's values with its shape, for binding data by file ({@code --data name=file}, {@code DflModel.bind(name,
 * Path)}): the values come from {@link DataFiles#read(Path)} (which validates the file), the shape from the file's own
 * description of itself: a {@code .npy} header's {@code shape}, an image's {@code [height, width]}, a CSV table's
 * {@code [rows, columns]} ({@code [n]} when it has one row or one column; rows of different lengths give {@code [n]}).
 */
public final class DataArrays {

    /** Values (row-major) and their shape. */
    public record Array(double[] values, long[] shape) {}

    private static final Pattern NPY_SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private DataArrays() {}

    /** The file's values and shape; E0301/E0302 as for {@link DataFiles#read(Path)}. */
    public static Array read(Path path) {
        double[] values = DataFiles.read(path);
        long[] shape;
        try {
            shape = shape(path, values.length);
        } catch (IOException e) {
            throw new DflRuntimeException(Code.E0301, "cannot read data file '" + path + "': " + e.getMessage());
        }
        if (Arrays.stream(shape).reduce(1, Math::multiplyExact) != values.length) shape = new long[] {values.length};
        return new Array(values, shape);
    }

    private static long[] shape(Path path, int count) throws IOException {
        String n = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".npy")) return npyShape(path, count);
        if (n.endsWith(".png")) return pngShape(path);
        return csvShape(Files.readString(path, StandardCharsets.UTF_8), count);
    }

    /** The header's shape (the header was validated by the reader); {@code ()} is a scalar, shape {@code [1]} here. */
    private static long[] npyShape(Path path, int count) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(path)) {
            head = in.readNBytes(NpyReader.MAX_HEADER + 12);
        }
        Matcher m = NPY_SHAPE.matcher(new String(head, StandardCharsets.ISO_8859_1));
        if (!m.find()) return new long[] {count};
        long[] dims = Arrays.stream(m.group(1).split(",")).map(String::strip).filter(t -> !t.isEmpty()).mapToLong(Long::parseLong).toArray();
        return dims.length == 0 ? new long[] {1} : dims;
    }

    private static long[] pngShape(Path path) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(path.toFile())) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            ImageReader r = readers.next();
            try {
                r.setInput(in, true, true);
                return new long[] {r.getHeight(0), r.getWidth(0)};
            } finally {
                r.dispose();
            }
        }
    }

    /** Rows that hold numbers (blank and '#' lines skipped, as the reader does) and the cells of each. */
    static long[] csvShape(String text, int count) {
        int rows = 0;
        int cols = -1;
        for (String row : text.split("\\R")) {
            if (row.isBlank() || row.startsWith("#")) continue;
            int c = (int) Arrays.stream(row.split("[,;\\s]+")).filter(t -> !t.isBlank()).count();
            if (cols >= 0 && c != cols) return new long[] {count};
            cols = c;
            rows++;
        }
        if (rows <= 1 || cols <= 1) return new long[] {count};
        return new long[] {rows, cols};
    }
}
