package dfl.stdlib.runtime;

import dfl.diag.Code;
import dfl.runtime.DflRuntimeException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a NumPy {@code .npy} file (format versions 1–3, C order, little-endian float32/float64/int32/int64 or
 * uint8), validating the header against the specification before any data is read: the magic string, the version,
 * the header length against the file size, the dictionary's {@code descr}, {@code fortran_order} and {@code shape},
 * and shape × item size against the bytes that follow the header. Every fault is E0301 naming the file, the byte
 * offset and what is wrong; a shape whose size the model does not expect is E0302, before the data is read.
 */
final class NpyReader {

    /** The longest header accepted (bytes); NumPy writes a few hundred. */
    static final int MAX_HEADER = 1 << 20;

    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private NpyReader() {}

    /** The values of {@code path}; {@code expected} values (0: any number up to {@link DataFiles#MAX_VALUES}). */
    static double[] read(FileChannel ch, Path path, long expected) throws IOException {
        return readShaped(ch, path, expected).values();
    }

    /** The array's shape as the header declares it, and its values row-major. */
    record Shaped(long[] shape, double[] values) {}

    /** {@link #read} with the array's shape. */
    static Shaped readShaped(FileChannel ch, Path path, long expected) throws IOException {
        long size = ch.size();
        ByteBuffer pre = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, pre, 0, path);
        pre.flip();
        byte[] magic = new byte[6];
        if (pre.remaining() >= 6) pre.get(magic);
        if (pre.limit() < 10 || magic[0] != (byte) 0x93 || !new String(magic, 1, 5, StandardCharsets.ISO_8859_1).equals("NUMPY")) {
            throw fault(path, 0, "not a NumPy .npy file (the file does not start with \\x93NUMPY)");
        }
        int major = Byte.toUnsignedInt(pre.get(6));
        if (major < 1 || major > 3) throw fault(path, 6, "format version " + major + "." + pre.get(7) + " is not supported (1 to 3 are)");
        int start = major == 1 ? 10 : 12;
        if (pre.limit() < start) throw fault(path, 8, "truncated header: the file ends inside the header length");
        long headerLen = major == 1 ? Short.toUnsignedInt(pre.getShort(8)) : Integer.toUnsignedLong(pre.getInt(8));
        if (headerLen > MAX_HEADER) throw fault(path, 8, "the header length " + headerLen + " exceeds " + MAX_HEADER + " bytes");
        if (start + headerLen > size) {
            throw fault(path, 8, "truncated header: it declares " + headerLen + " bytes but only " + (size - start)
                    + " follow the length field");
        }
        ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
        readFully(ch, hb, start, path);
        String header = new String(hb.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        String descr = group(DESCR, header, path, start, "'descr'");
        if (group(FORTRAN, header, path, start, "'fortran_order'").equals("True")) {
            throw fault(path, start, "the array is in Fortran order; .npy arrays must be in C order");
        }
        long count = count(group(SHAPE, header, path, start, "'shape'"), path, start);
        int item = itemSize(descr, path, start);
        long dataStart = start + headerLen;
        long payload = size - dataStart;
        String shapeText = "(" + SHAPE.matcher(header).results().findFirst().map(m -> m.group(1).trim()).orElse("") + ")";
        if (payload != count * item) {
            throw fault(path, dataStart, String.format(Locale.ROOT, "the header's shape %s of %s needs %d bytes of data "
                    + "but %d follow the header", shapeText, descr, count * item, payload));
        }
        if (expected > 0 && count != expected) {
            throw new DflRuntimeException(Code.E0302, "'" + path + "' has shape " + shapeText + " (" + count
                    + " values) but the model needs " + expected);
        }
        if (count > DataFiles.MAX_VALUES) {
            throw new DflRuntimeException(Code.E0302, "'" + path + "' has shape " + shapeText + " (" + count
                    + " values), more than the " + DataFiles.MAX_VALUES + " values a data file may hold");
        }
        ByteBuffer data = ByteBuffer.allocate((int) payload).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, data, dataStart, path);
        data.flip();
        double[] out = new double[(int) count];
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (descr) {
                case "<f4" -> data.getFloat();
                case "<f8" -> data.getDouble();
                case "<i4" -> data.getInt();
                case "<i8" -> data.getLong();
                default -> Byte.toUnsignedInt(data.get());
            };
            if (!Double.isFinite(out[i])) {
                throw fault(path, dataStart + (long) i * item, "value " + (i + 1) + " is " + (Double.isNaN(out[i]) ? "NaN"
                        : out[i] > 0 ? "+inf" : "-inf") + "; data must be finite numbers");
            }
        }
        long[] shape = java.util.Arrays.stream(shapeText.substring(1, shapeText.length() - 1).split(","))
                .map(String::trim).filter(t -> !t.isEmpty()).mapToLong(Long::parseLong).toArray();
        return new Shaped(shape, out);
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position, Path path) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) break;
            pos += n;
        }
    }

    private static String group(Pattern p, String header, Path path, long offset, String key) {
        Matcher m = p.matcher(header);
        if (!m.find()) throw fault(path, offset, "the header has no valid " + key + " entry: " + abbreviate(header));
        return m.group(1);
    }

    private static long count(String dims, Path path, long offset) {
        long n = 1;
        for (String d : dims.split(",")) {
            String t = d.trim();
            if (t.isEmpty()) continue;
            long v;
            try {
                v = Long.parseLong(t);
            } catch (NumberFormatException e) {
                throw fault(path, offset, "the shape entry '" + abbreviate(t) + "' is not a whole number");
            }
            if (v < 0) throw fault(path, offset, "the shape has a negative dimension " + v);
            try {
                n = Math.multiplyExact(n, v);
            } catch (ArithmeticException e) {
                throw fault(path, offset, "the shape (" + dims.trim() + ") has too many values");
            }
        }
        return n;
    }

    private static int itemSize(String descr, Path path, long offset) {
        return switch (descr) {
            case "<f4", "<i4" -> 4;
            case "<f8", "<i8" -> 8;
            case "|u1" -> 1;
            default -> throw fault(path, offset, "data type " + abbreviate(descr)
                    + " is not supported (little-endian float32, float64, int32, int64 or uint8 are)");
        };
    }

    private static String abbreviate(String s) {
        String t = s.strip();
        return t.length() <= 80 ? t : t.substring(0, 77) + "...";
    }

    private static DflRuntimeException fault(Path path, long offset, String what) {
        return new DflRuntimeException(Code.E0301, "cannot read '" + path + "' as .npy (byte " + offset + "): " + what);
    }
}
