package dfl.stdlib.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dfl.diag.Code;
import dfl.runtime.DflRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Random bytes behind valid magic numbers: reading them either gives values or a DflRuntimeException with E0301 or
 * E0302, never another exception (an index error is "a bug in DFL" to the user) and never more than the declared cap.
 */
class DataFilesFuzzTest {

    private static void readsOrDiagnoses(String suffix, byte[] magic, byte[] rest) throws Exception {
        Path dir = Files.createTempDirectory("dfl-fuzz");
        Path p = dir.resolve("f" + suffix);
        try {
            byte[] all = new byte[magic.length + rest.length];
            System.arraycopy(magic, 0, all, 0, magic.length);
            System.arraycopy(rest, 0, all, magic.length, rest.length);
            Files.write(p, all);
            try {
                DataFiles.read(p, 0);
            } catch (DflRuntimeException e) {
                assertTrue(e.code() == Code.E0301 || e.code() == Code.E0302, e.getMessage());
            }
        } finally {
            Files.deleteIfExists(p);
            Files.deleteIfExists(dir);
        }
    }

    @Property(tries = 300)
    void npyWithRandomHeaders(@ForAll @IntRange(min = 0, max = 4) int major, @ForAll @Size(max = 300) byte[] rest)
            throws Exception {
        readsOrDiagnoses(".npy", new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0}, rest);
    }

    @Property(tries = 300)
    void npyWithAPlausibleHeaderAndRandomTail(@ForAll @Size(max = 64) byte[] rest, @ForAll @IntRange(min = 0, max = 9) int n)
            throws Exception {
        String h = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + n + ",), }";
        byte[] hb = (h + " ".repeat(117 - h.length()) + "\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        byte[] head = new byte[10 + hb.length];
        byte[] magic = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) hb.length, 0};
        System.arraycopy(magic, 0, head, 0, 10);
        System.arraycopy(hb, 0, head, 10, hb.length);
        readsOrDiagnoses(".npy", head, rest);
    }

    @Property(tries = 300)
    void pngWithRandomChunks(@ForAll @Size(max = 300) byte[] rest) throws Exception {
        readsOrDiagnoses(".png", new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'}, rest);
    }
}
