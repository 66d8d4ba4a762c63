package dfl.stdlib.runtime;

import dfl.diag.Code;
import dfl.runtime.DflRuntimeException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Reads a PNG image as grey levels scaled to [-1, 1]. The width and height come from the header (IHDR) and are
 * checked before a pixel is decoded: an image whose size the model does not expect, or larger than
 * {@link DataFiles#MAX_VALUES} pixels, is E0302 naming the file and its dimensions, so a small file that declares
 * 32000×32000 pixels costs nothing.
 */
final class PngReader {

    private PngReader() {}

    /** The grey levels of {@code path}, row-major; {@code expected} pixels (0: any number up to the cap). */
    static double[] read(FileChannel ch, Path path, long expected) throws IOException {
        try (ImageInputStream in = new MemoryCacheImageInputStream(Channels.newInputStream(ch))) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) throw unreadable(path, "not a PNG image");
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                long pixels = (long) w * h;
                if (expected > 0 && pixels != expected) {
                    throw new DflRuntimeException(Code.E0302, "'" + path + "' is a " + w + "×" + h + " image (" + pixels
                            + " values) but the model needs " + expected + (expected == 784 ? " (a 28×28 image)" : ""));
                }
                if (pixels > DataFiles.MAX_VALUES) {
                    throw new DflRuntimeException(Code.E0302, "'" + path + "' is a " + w + "×" + h + " image, more than the "
                            + DataFiles.MAX_VALUES + " pixels a data file may hold");
                }
                BufferedImage img = reader.read(0);
                return grey(img, w, h);
            } catch (IOException | RuntimeException e) {
                if (e instanceof DflRuntimeException d) throw d;
                throw unreadable(path, "a damaged image (" + e.getMessage() + ")");
            } finally {
                reader.dispose();
            }
        }
    }

    private static double[] grey(BufferedImage img, int w, int h) {
        double[] v = new double[h * w];
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                int rgb = img.getRGB(c, r);
                double grey = (0.299 * ((rgb >> 16) & 0xff) + 0.587 * ((rgb >> 8) & 0xff) + 0.114 * (rgb & 0xff)) / 255.0;
                v[r * w + c] = 2 * grey - 1;
            }
        }
        return v;
    }

    private static DflRuntimeException unreadable(Path path, String why) {
        return new DflRuntimeException(Code.E0301, "'" + path + "' is not a readable PNG image: " + why);
    }
}
