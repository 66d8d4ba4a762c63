package dfl.runtime.output;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * NumPy {@code .npy} version 1.0 files: magic, a little-endian header length, a Python-dict header padded with
 * spaces to a multiple of 64 bytes and ending in a newline, then little-endian C-order data.
 */
public final class Npy {

    private Npy() {}

    /** Writes float32 data of the given shape (e.g. [N, 1, 28, 28]) atomically. */
    public static void writeFloat32(Path file, long[] shape, float[] data) throws IOException {
        check(shape, data.length);
        AtomicFiles.write(file, out -> {
            header(out, "<f4", shape);
            ByteBuffer b = ByteBuffer.allocate(4 * 8192).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < data.length; i++) {
                b.putFloat(data[i]);
                if (!b.hasRemaining()) flush(out, b);
            }
            flush(out, b);
        });
    }

    /** Writes float64 data of the given shape atomically. */
    public static void writeFloat64(Path file, long[] shape, double[] data) throws IOException {
        check(shape, data.length);
        AtomicFiles.write(file, out -> {
            header(out, "<f8", shape);
            ByteBuffer b = ByteBuffer.allocate(8 * 4096).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < data.length; i++) {
                b.putDouble(data[i]);
                if (!b.hasRemaining()) flush(out, b);
            }
            flush(out, b);
        });
    }

    private static void flush(OutputStream out, ByteBuffer b) throws IOException {
        out.write(b.array(), 0, b.position());
        b.clear();
    }

    private static void check(long[] shape, int n) {
        long size = 1;
        for (long d : shape) size *= d;
        if (size != n) throw new IllegalArgumentException("shape holds " + size + " elements, data has " + n);
    }

    /** The header text for a dtype and shape, as NumPy writes it. */
    static String headerText(String dtype, long[] shape) {
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            s.append(shape[i]);
            if (shape.length == 1 || i < shape.length - 1) s.append(shape.length == 1 ? "," : ", ");
        }
        s.append(')');
        String dict = "{'descr': '" + dtype + "', 'fortran_order': False, 'shape': " + s + ", }";
        int total = 10 + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        return dict + " ".repeat(pad) + "\n";
    }

    private static void header(OutputStream out, String dtype, long[] shape) throws IOException {
        byte[] h = headerText(dtype, shape).getBytes(StandardCharsets.US_ASCII);
        out.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        out.write(h.length & 0xff);
        out.write((h.length >> 8) & 0xff);
        out.write(h);
    }
}
