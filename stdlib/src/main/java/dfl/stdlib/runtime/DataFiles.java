package dfl.stdlib.runtime;

import dfl.diag.Code;
import dfl.runtime.DflRuntimeException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Reads observation data: PNG images (grey levels scaled to [-1, 1], the image models' range), NumPy
 * {@code .npy} arrays (float32/float64/int, C order) and CSV numbers. Errors are {@link DflRuntimeException}s.
 */
public final class DataFiles {

    private DataFiles() {}

    /** All values of the file, row-major, as doubles. */
    public static double[] read(Path path) {
        DataRoot.requireRegular(path, path.toString());
        String n = path.getFileName().toString().toLowerCase(Locale.ROOT);
        try {
            if (n.endsWith(".png")) return png(path);
            if (n.endsWith(".npy")) return npy(Files.readAllBytes(path));
            if (n.endsWith(".csv")) return csv(Files.readString(path, StandardCharsets.UTF_8), path);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new DflRuntimeException(Code.E0301, "cannot read data file '" + path + "': no such file");
        } catch (IOException e) {
            throw new DflRuntimeException(Code.E0301, "cannot read data file '" + path + "': " + e.getMessage());
        }
        throw new DflRuntimeException(Code.E0301, "cannot read '" + path + "': only .png, .npy and .csv are supported");
    }

    static double[] png(Path path) throws IOException {
        BufferedImage img = ImageIO.read(path.toFile());
        if (img == null) throw new DflRuntimeException(Code.E0301, "'" + path + "' is not a readable PNG image");
        int h = img.getHeight(), w = img.getWidth();
        double[] v = new double[h * w];
        for (int r = 0; r < h; r++)
            for (int c = 0; c < w; c++) {
                int rgb = img.getRGB(c, r);
                double grey = (0.299 * ((rgb >> 16) & 0xff) + 0.587 * ((rgb >> 8) & 0xff) + 0.114 * (rgb & 0xff)) / 255.0;
                v[r * w + c] = 2 * grey - 1;
            }
        return v;
    }

    static double[] npy(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 10 || bytes[0] != (byte) 0x93 || bytes[1] != 'N' || bytes[2] != 'U') {
            throw new DflRuntimeException(Code.E0301, "not a NumPy .npy file (bad magic)");
        }
        int major = bytes[6];
        int headerLen = major == 1 ? Short.toUnsignedInt(b.getShort(8)) : b.getInt(8);
        int start = major == 1 ? 10 : 12;
        String header = new String(bytes, start, headerLen, StandardCharsets.ISO_8859_1);
        if (header.contains("'fortran_order': True")) throw new DflRuntimeException(Code.E0301, ".npy arrays must be in C order");
        String descr = header.replaceAll(".*'descr':\\s*'([^']*)'.*", "$1").trim();
        b.position(start + headerLen);
        int count;
        List<Double> out = new ArrayList<>();
        switch (descr) {
            case "<f4" -> { count = b.remaining() / 4; for (int i = 0; i < count; i++) out.add((double) b.getFloat()); }
            case "<f8" -> { count = b.remaining() / 8; for (int i = 0; i < count; i++) out.add(b.getDouble()); }
            case "<i4" -> { count = b.remaining() / 4; for (int i = 0; i < count; i++) out.add((double) b.getInt()); }
            case "<i8" -> { count = b.remaining() / 8; for (int i = 0; i < count; i++) out.add((double) b.getLong()); }
            case "|u1" -> { count = b.remaining(); for (int i = 0; i < count; i++) out.add((double) Byte.toUnsignedInt(b.get())); }
            default -> throw new DflRuntimeException(Code.E0301, ".npy data type " + descr + " is not supported (use float32 or float64)");
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    static double[] csv(String text, Path path) {
        List<Double> out = new ArrayList<>();
        int line = 0;
        for (String row : text.split("\\R")) {
            line++;
            if (row.isBlank() || row.startsWith("#")) continue;
            for (String cell : row.split("[,;\\s]+")) {
                if (cell.isBlank()) continue;
                try {
                    out.add(Double.parseDouble(cell.trim()));
                } catch (NumberFormatException e) {
                    throw new DflRuntimeException(Code.E0301, "'" + path + "', line " + line + ": '" + cell.trim() + "' is not a number");
                }
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
