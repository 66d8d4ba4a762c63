package dfl.models.mnist;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reader for the MNIST IDX files ({@code *-idx3-ubyte.gz} images, {@code *-idx1-ubyte.gz} labels).
 *
 * <p>Pixels are scaled from {@code 0..255} to {@code [-1, 1]} ({@code p / 127.5 - 1}) because every
 * DFL image model works in that range. Images come back flat, row-major, in the order
 * {@code [N, 1, 28, 28]}.
 */
public final class MnistIdx {
    /** Side length of an MNIST digit. */
    public static final int SIDE = 28;
    /** Pixels per digit. */
    public static final int PIXELS = SIDE * SIDE;

    private static final int IMAGE_MAGIC = 0x00000803;
    private static final int LABEL_MAGIC = 0x00000801;

    private MnistIdx() {}

    /** Which of the two splits shipped in the data folder. */
    public enum Split {
        /** {@code train-*} files. */
        TRAIN("train"),
        /** {@code test-*} files. */
        TEST("test");

        private final String prefix;

        Split(String prefix) {
            this.prefix = prefix;
        }

        /** @return the file-name prefix, {@code train} or {@code test} */
        public String prefix() {
            return prefix;
        }
    }

    /**
     * A loaded split.
     *
     * @param images flat pixels in [-1, 1], length {@code n * 784}, layout [N, 1, 28, 28]
     * @param labels class labels 0..9, length {@code n}
     * @param n number of digits
     */
    public record Data(float[] images, int[] labels, int n) {
        /** @return how many digits carry each label 0..9 */
        public int[] labelCounts() {
            int[] c = new int[10];
            for (int l : labels) {
                c[l]++;
            }
            return c;
        }
    }

    /**
     * Loads a split from a folder holding {@code <split>-images-idx3-ubyte.gz} and
     * {@code <split>-labels-idx1-ubyte.gz}.
     *
     * @param dir the data folder
     * @param split which split
     * @return images and labels
     * @throws IOException if a file is missing or malformed
     */
    public static Data load(Path dir, Split split) throws IOException {
        float[] images = readImages(dir.resolve(split.prefix() + "-images-idx3-ubyte.gz"));
        int[] labels = readLabels(dir.resolve(split.prefix() + "-labels-idx1-ubyte.gz"));
        if (images.length != labels.length * PIXELS) {
            throw new IOException("image/label count mismatch in " + dir + " for " + split
                    + ": " + images.length / PIXELS + " images, " + labels.length + " labels");
        }
        return new Data(images, labels, labels.length);
    }

    /**
     * Reads an IDX3 gzip image file.
     *
     * @param file the {@code .gz} file
     * @return flat pixels scaled to [-1, 1]
     * @throws IOException on a bad magic number, bad dimensions or truncation
     */
    public static float[] readImages(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            int magic = in.readInt();
            if (magic != IMAGE_MAGIC) {
                throw new IOException(file + ": not an IDX3 image file (magic " + Integer.toHexString(magic) + ")");
            }
            int n = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            if (rows != SIDE || cols != SIDE || n < 0) {
                throw new IOException(file + ": expected 28x28 images, got " + rows + "x" + cols + " (n=" + n + ")");
            }
            byte[] raw = new byte[n * PIXELS];
            in.readFully(raw);
            float[] out = new float[raw.length];
            for (int i = 0; i < raw.length; i++) {
                out[i] = (raw[i] & 0xff) / 127.5f - 1f;
            }
            return out;
        }
    }

    /**
     * Reads an IDX1 gzip label file.
     *
     * @param file the {@code .gz} file
     * @return labels
     * @throws IOException on a bad magic number, a label outside 0..9 or truncation
     */
    public static int[] readLabels(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            int magic = in.readInt();
            if (magic != LABEL_MAGIC) {
                throw new IOException(file + ": not an IDX1 label file (magic " + Integer.toHexString(magic) + ")");
            }
            int n = in.readInt();
            byte[] raw = new byte[n];
            in.readFully(raw);
            int[] out = new int[n];
            for (int i = 0; i < n; i++) {
                out[i] = raw[i] & 0xff;
                if (out[i] > 9) {
                    throw new IOException(file + ": label " + out[i] + " at index " + i + " is not a digit");
                }
            }
            return out;
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream raw = Files.newInputStream(file);
        return new DataInputStream(new GZIPInputStream(raw, 1 << 16));
    }
}
