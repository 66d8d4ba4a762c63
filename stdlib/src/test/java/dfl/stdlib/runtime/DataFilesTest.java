package dfl.stdlib.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dfl.diag.Code;
import dfl.runtime.DflRuntimeException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, item 3: data files are validated from their headers before decoding. PNG dimensions come from the IHDR
 * chunk (a 124-byte file declaring 32000×32000 pixels is refused at once, not with OutOfMemoryError); a .npy header
 * must match the file (version, lengths, shape × item size against the payload); CSV numbers are plain decimals.
 * Every bad file is generated here.
 */
class DataFilesTest {

    @TempDir
    Path dir;

    private static DflRuntimeException fails(Code code, Path p, long expected, String... fragments) {
        DflRuntimeException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> assertThrows(DflRuntimeException.class, () -> DataFiles.read(p, expected)));
        assertEquals(code, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains(p.getFileName().toString()), e.getMessage());
        for (String f : fragments) assertTrue(e.getMessage().contains(f), e.getMessage());
        return e;
    }

    /** A w×h grey PNG whose IHDR is then rewritten to declare {@code declaredW}×{@code declaredH} (CRC fixed). */
    private Path png(String name, int w, int h, int declaredW, int declaredH) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY), "png", bytes);
        byte[] b = bytes.toByteArray();
        ByteBuffer bb = ByteBuffer.wrap(b);
        bb.putInt(16, declaredW).putInt(20, declaredH); // IHDR data starts at 16: width, height
        CRC32 crc = new CRC32();
        crc.update(b, 12, 17); // chunk type + 13 data bytes
        bb.putInt(29, (int) crc.getValue());
        return Files.write(dir.resolve(name), b);
    }

    @Test
    void aPngDeclaringHugeDimensionsIsRefusedFromItsHeader() throws Exception {
        Path huge = png("huge.png", 4, 4, 32000, 32000);
        assertTrue(Files.size(huge) < 1000);
        fails(Code.E0302, huge, 784, "32000×32000", "784");
        fails(Code.E0302, huge, 0, "32000×32000");
        Path big = png("big.png", 4, 4, 20000, 20000);
        fails(Code.E0302, big, 784, "20000×20000");
    }

    @Test
    void aPngOfTheRightSizeLoadsAndAWrongOneNamesItsDimensions() throws Exception {
        Path ok = png("ok.png", 28, 28, 28, 28);
        assertEquals(784, DataFiles.read(ok, 784).length);
        assertEquals(784, DataFiles.read(ok).length);
        fails(Code.E0302, png("small.png", 3, 2, 3, 2), 784, "3×2");
        fails(Code.E0301, Files.writeString(dir.resolve("text.png"), "not an image"), 784);
    }

    /** A .npy file: magic, version, header length (u16 for v1, u32 for v2/v3), header text, then {@code payload}. */
    private Path npy(String name, int major, long headerLen, String header, byte[] payload, boolean truncate) throws Exception {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(12 + h.length + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.ISO_8859_1)).put((byte) major).put((byte) 0);
        if (major == 1) b.putShort((short) headerLen);
        else b.putInt((int) headerLen);
        b.put(h).put(payload);
        byte[] all = java.util.Arrays.copyOf(b.array(), b.position());
        return Files.write(dir.resolve(name), truncate ? java.util.Arrays.copyOf(all, all.length - payload.length) : all);
    }

    private static String header(String descr, String shape) {
        String h = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        return h + " ".repeat(63 - h.length() % 64) + "\n";
    }

    private static byte[] doubles(double... v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double x : v) b.putDouble(x);
        return b.array();
    }

    private Path npy(String name, int major, String header, byte[] payload) throws Exception {
        return npy(name, major, header.length(), header, payload, false);
    }

    @Test
    void wellFormedNpyFilesOfEveryVersionLoad() throws Exception {
        for (int v = 1; v <= 3; v++) {
            Path p = npy("v" + v + ".npy", v, header("<f8", "(2, 1)"), doubles(1.5, -2));
            assertArrayEquals(new double[] {1.5, -2}, DataFiles.read(p, 2));
        }
        assertArrayEquals(new double[] {4}, DataFiles.read(npy("scalar.npy", 1, header("<f8", "()"), doubles(4)), 1));
    }

    @Test
    void theShapeMustMatchThePayload() throws Exception {
        fails(Code.E0301, npy("short.npy", 1, header("<f8", "(5,)"), doubles(1, 2)), 0, "(5,)", "40 bytes", "16 follow");
        fails(Code.E0301, npy("long.npy", 1, header("<f8", "(2,)"), doubles(1, 2, 3)), 0, "(2,)", "24 follow");
        fails(Code.E0302, npy("three.npy", 1, header("<f8", "(3,)"), doubles(1, 2, 3)), 2, "(3,)", "needs 2");
        fails(Code.E0301, npy("neg.npy", 1, header("<f8", "(-1,)"), doubles(1)), 0, "negative");
        fails(Code.E0301, npy("word.npy", 1, header("<f8", "(a,)"), doubles(1)), 0, "not a whole number");
        fails(Code.E0301, npy("big.npy", 1, header("<f8", "(4294967296, 4294967296)"), doubles(1)), 0, "too many values");
        fails(Code.E0301, npy("f16.npy", 1, header("<f2", "(1,)"), new byte[2]), 0, "<f2");
        fails(Code.E0301, npy("fortran.npy", 1, header("<f8", "(1,)").replace("False", "True"), doubles(1)), 0, "Fortran");
        fails(Code.E0301, npy("nodescr.npy", 1, header("<f8", "(1,)").replace("'descr'", "'kind'"), doubles(1)), 0, "'descr'");
    }

    @Test
    void corruptHeadersAreE0301NotAnIndexError() throws Exception {
        String h = header("<f8", "(2,)");
        fails(Code.E0301, npy("trunc.npy", 1, h.length(), h, doubles(1, 2), true).resolveSibling("trunc.npy"), 0);
        Path cut = Files.write(dir.resolve("cut.npy"), java.util.Arrays.copyOf(Files.readAllBytes(npy("full.npy", 1, h, doubles(1, 2))), 40));
        fails(Code.E0301, cut, 0, "truncated header");
        fails(Code.E0301, npy("ffff.npy", 1, 0xFFFF, h, doubles(1, 2), false), 0, "truncated header", "65535");
        fails(Code.E0301, npy("negative.npy", 2, 0xFFFFFFFFL, h, doubles(1, 2), false), 0, "4294967295");
        fails(Code.E0301, npy("v4.npy", 4, h, doubles(1, 2)), 0, "version 4");
        fails(Code.E0301, Files.write(dir.resolve("tiny.npy"), new byte[] {(byte) 0x93, 'N', 'U'}), 0, "\\x93NUMPY");
        fails(Code.E0301, Files.write(dir.resolve("nolen.npy"), new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0, 1, 0}), 0,
                "truncated header");
    }

    @Test
    void csvNumbersAreStrictDecimals() throws Exception {
        assertArrayEquals(new double[] {1500, -2, 0.5}, DataFiles.read(Files.writeString(dir.resolve("ok.csv"), "1.5e3, -2\n.5\n")));
        for (String bad : new String[] {"0x1p3", "1f", "1d", "NaN", "Infinity", "1e999"}) {
            fails(Code.E0301, Files.writeString(dir.resolve("bad.csv"), "1, " + bad + "\n"), 0, "line 1", bad);
        }
    }
}
