package dfl.stdlib.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dfl.diag.Code;
import dfl.runtime.DflRuntimeException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, items 2 and 3: reading a data file holds against links and files swapped in after the check (TOCTOU), hard
 * links into a data root, endless devices, and files that block; every read can be cancelled and is bounded in time,
 * and whatever goes wrong is a {@link DflRuntimeException} (never an {@link Error}). POSIX only where it says so.
 */
class DataReadSafetyTest {

    private static final double[] INSIDE = {0.1, 0.2};
    private static final double[] SECRET = {7, 7};

    @TempDir
    Path root;
    @TempDir
    Path outside;

    private Path secret() throws Exception {
        return Files.writeString(outside.resolve("y.csv"), "7,7\n");
    }

    private Path realRoot() {
        return root.toAbsolutePath().normalize();
    }

    private double[] readConfined(String name) {
        return DataFiles.read(DataRoot.confine(realRoot(), Path.of(name), name), 2, null, true);
    }

    @Test
    void aHardLinkIntoTheRootIsDenied() throws Exception {
        Path link = root.resolve("y.csv");
        try {
            Files.createLink(link, secret());
        } catch (UnsupportedOperationException | java.io.IOException e) {
            Assumptions.abort("this file system cannot make hard links: " + e);
        }
        DflRuntimeException e = assertThrows(DflRuntimeException.class, () -> DataRoot.confine(realRoot(), Path.of("y.csv"), "y.csv"));
        assertEquals(Code.E0306, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains("2 hard links"), e.getMessage());
        // a file of its own inside the root is read
        Files.delete(link);
        Files.writeString(link, "0.1,0.2\n");
        assertArrayEquals(INSIDE, DataFiles.read(DataRoot.confine(realRoot(), Path.of("y.csv"), "y.csv"), 2, null, true));
    }

    /** The file is swapped for a link to a secret between the containment check and the open: refused, not read. */
    @Test
    void aLinkSwappedInAfterTheCheckIsNotFollowed() throws Exception {
        Path y = Files.writeString(root.resolve("y.csv"), "0.1,0.2\n");
        Path checked = DataRoot.confine(realRoot(), Path.of("y.csv"), "y.csv");
        swapIn(y, secret());
        // negative control: opening the checked path the way the reader did before follows the new link to the secret
        assertEquals("7,7\n", Files.readString(checked));
        DflRuntimeException e = assertThrows(DflRuntimeException.class, () -> DataFiles.read(checked, 2, null, true));
        assertEquals(Code.E0301, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains("replaced while it was being opened"), e.getMessage());
    }

    /** A folder on the way is swapped for a link to a folder outside after the check: refused, not read. */
    @Test
    void aFolderSwappedForALinkAfterTheCheckIsNotFollowed() throws Exception {
        Path d = Files.createDirectory(root.resolve("d"));
        Files.writeString(d.resolve("y.csv"), "0.1,0.2\n");
        secret();
        Path checked = DataRoot.confine(realRoot(), Path.of("d/y.csv"), "d/y.csv");
        Path aside = root.resolve("d-aside");
        Files.move(d, aside);
        Files.createSymbolicLink(d, outside);
        assertEquals("7,7\n", Files.readString(checked)); // negative control, as above
        DflRuntimeException e = assertThrows(DflRuntimeException.class, () -> DataFiles.read(checked, 2, null, true));
        assertEquals(Code.E0301, e.code(), e.getMessage());
    }

    /** A thread swaps the file and a link to a secret as fast as it can while reads go on: the secret is never read. */
    @Test
    void racingSwapsNeverLeakTheSecret() throws Exception {
        Path y = Files.writeString(root.resolve("y.csv"), "0.1,0.2\n");
        Path regular = Files.writeString(root.resolve(".regular"), "0.1,0.2\n");
        Path link = root.resolve(".link");
        Files.createSymbolicLink(link, secret());
        AtomicBoolean stop = new AtomicBoolean();
        Thread swapper = new Thread(() -> {
            try {
                for (int i = 0; !stop.get(); i++) {
                    Path src = i % 2 == 0 ? link : regular;
                    Path spare = root.resolve(".spare");
                    Files.copy(src, spare, StandardCopyOption.REPLACE_EXISTING, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                    Files.move(spare, y, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        swapper.start();
        AtomicInteger read = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        // at least 1.5 s of racing, and on until both states were met (a loaded machine may need longer), at most 30 s
        long start = System.nanoTime();
        try {
            while (System.nanoTime() - start < 1_500_000_000L
                    || (read.get() == 0 || refused.get() == 0) && System.nanoTime() - start < 30_000_000_000L) {
                try {
                    double[] v = readConfined("y.csv");
                    assertFalse(v[0] == SECRET[0], "the secret outside the data root was read");
                    read.incrementAndGet();
                } catch (DflRuntimeException e) {
                    assertTrue(e.code() == Code.E0306 || e.code() == Code.E0301, e.getMessage());
                    refused.incrementAndGet();
                }
            }
        } finally {
            stop.set(true);
            swapper.join();
        }
        System.out.println("racing swaps: " + read + " reads of the file inside, " + refused + " refused");
        assertTrue(read.get() > 0 && refused.get() > 0, "both states must have been met: reads " + read + ", refused " + refused);
    }

    @Test
    void anEndlessDeviceIsNeverOpened() throws Exception {
        Path zero = Path.of("/dev/zero");
        Assumptions.assumeTrue(Files.exists(zero), "no /dev/zero here");
        Path link = Files.createSymbolicLink(root.resolve("x.npy"), zero);
        DflRuntimeException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(DflRuntimeException.class, () -> DataFiles.read(link)));
        assertEquals(Code.E0301, e.code());
        assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
    }

    private Path fifo(String name) throws Exception {
        Path fifo = root.resolve(name);
        Process p;
        try {
            p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        } catch (java.io.IOException e) {
            Assumptions.abort("mkfifo is not available: " + e.getMessage());
            return null;
        }
        Assumptions.assumeTrue(p.waitFor() == 0 && Files.exists(fifo), "this OS cannot make a FIFO");
        return fifo;
    }

    /** A read blocked on a FIFO (as after a swap past every check) stops when the run is cancelled, and its thread ends. */
    @Test
    void aBlockedReadStopsWhenTheRunIsCancelled() throws Exception {
        Path fifo = fifo("cancelled.csv");
        AtomicBoolean cancel = new AtomicBoolean();
        new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException ignored) {
                // set it anyway
            }
            cancel.set(true);
        }).start();
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThrows(CancellationException.class,
                () -> BoundedRead.call(fifo, "cancelled.csv", () -> {
                    try (FileChannel ch = FileChannel.open(fifo, StandardOpenOption.READ)) {
                        return ch.read(java.nio.ByteBuffer.allocate(8));
                    }
                }, cancel)));
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            while (Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("dfl-read cancelled.csv") && t.isAlive())) {
                Thread.sleep(20);
            }
        }, "the reader blocked in open() is released");
    }

    @Test
    void aReadThatTakesTooLongIsE0301() throws Exception {
        Path fifo = fifo("slow.csv");
        String before = System.getProperty(BoundedRead.TIMEOUT_PROPERTY);
        System.setProperty(BoundedRead.TIMEOUT_PROPERTY, "0.5");
        try {
            DflRuntimeException e = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThrows(DflRuntimeException.class,
                    () -> BoundedRead.call(fifo, "slow.csv", () -> Files.readString(fifo), null)));
            assertEquals(Code.E0301, e.code());
            assertTrue(e.getMessage().contains("did not finish within 0 s") || e.getMessage().contains("did not finish within 1 s"),
                    e.getMessage());
        } finally {
            if (before == null) System.clearProperty(BoundedRead.TIMEOUT_PROPERTY);
            else System.setProperty(BoundedRead.TIMEOUT_PROPERTY, before);
        }
    }

    @Test
    void runningOutOfMemoryWhileReadingIsADiagnosticNotAnError() throws Exception {
        Path y = Files.writeString(root.resolve("y.csv"), "1\n");
        DflRuntimeException e = assertThrows(DflRuntimeException.class, () -> BoundedRead.call(y, "y.csv", () -> {
            throw new OutOfMemoryError("Java heap space");
        }, null));
        assertEquals(Code.E0309, e.code());
        assertTrue(e.getMessage().contains("y.csv") && e.getMessage().contains("(2 bytes)"), e.getMessage());
    }

    /** Replaces {@code target} by a symbolic link to {@code to} in one rename (the link is made beside it first). */
    private static void swapIn(Path target, Path to) throws Exception {
        Path spare = target.resolveSibling(".swap");
        Files.deleteIfExists(spare);
        Files.createSymbolicLink(spare, to);
        Files.move(spare, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
