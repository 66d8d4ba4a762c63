package dfl.runtime.run;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * Hands the native memory that libtorch freed during sampling steps back to the operating system, so that a run's
 * resident memory does not grow with its number of steps. glibc keeps freed buffers in its heaps, and libtorch's
 * pattern of allocations leaves them fragmented there, not reused: without this, posterior2d at K = 10⁵ peaked at
 * 1874 MB for T = 1000 against 567 MB for T = 5, with about 0.1 GB of 1.2 GB held in use (malloc_stats). After each
 * step (its NDManager closed) this checks the resident size and, once it has grown by {@link #SLACK_BYTES} or an eighth
 * since the last trim, calls glibc's {@code malloc_trim(0)}, which returns the free pages of every heap: 565, 594 and
 * 595 MB for T = 5, 100 and 1000. Trimming after every step costs a third more CPU time, because the next step faults
 * the pages in again; with the slack the cost did not show in the CPU time of card.dfl or posterior2d
 * (docs/samplers.md, "Memory"; scripts/memory-bench.sh).
 *
 * <p>Only on Linux with glibc; elsewhere (macOS, Windows, musl, whose C library has no {@code malloc_trim}) it does
 * nothing, and a failing call never fails a run. The system property {@value #PROPERTY} is {@code false} to turn it
 * off and {@code always} to trim after every step (the benchmark's comparison).
 */
public final class NativeHeapTrim {

    /** The system property: {@code false} turns trimming off, {@code always} trims after every step. */
    public static final String PROPERTY = "dfl.malloc.trim";

    /** The least growth of the resident size (above its lowest since the last trim) that triggers a trim. */
    public static final long SLACK_BYTES = 64L << 20;

    private static final NativeHeapTrim SHARED = fromProperty(System.getProperty(PROPERTY, "true"));

    private Function trim;
    private final boolean everyStep;
    private final LongSupplier resident;
    private long baseline = -1;
    private long steps;
    private long trims;

    /**
     * Trims with the C library's function {@code symbol} (none, a no-op, when null, not on Linux or not found),
     * measuring the resident size in bytes with {@code resident} (negative: unknown, then it does not trim).
     */
    NativeHeapTrim(String symbol, boolean everyStep, LongSupplier resident) {
        this.trim = symbol == null ? null : lookup(symbol);
        this.everyStep = everyStep;
        this.resident = resident;
    }

    /** {@code false}: off; {@code always}: after every step, whatever the growth; anything else: with the slack. */
    static NativeHeapTrim fromProperty(String value) {
        return new NativeHeapTrim(value.equals("false") ? null : "malloc_trim", value.equals("always"),
                NativeHeapTrim::resident);
    }

    private static Function lookup(String symbol) {
        if (!Platform.isLinux()) return null;
        try {
            return NativeLibrary.getInstance(Platform.C_LIBRARY_NAME).getFunction(symbol);
        } catch (LinkageError | RuntimeException e) {
            return null;  // musl, or JNA's native part unusable: leave memory as it is
        }
    }

    /** The process's trimmer, which the samplers call after each step. */
    public static NativeHeapTrim shared() {
        return SHARED;
    }

    /**
     * Called after a step's native buffers are freed: trims when the resident size grew by the slack since the last
     * trim (from the lowest size seen since); does nothing where trimming is unavailable or off.
     */
    public synchronized void afterStep() {
        steps++;
        if (trim == null) return;
        if (!everyStep) {
            long now = resident.getAsLong();
            if (now < 0) return;
            if (baseline < 0 || now < baseline) {
                baseline = now;  // the lowest size since the last trim: a smaller run after a larger one starts afresh
                return;
            }
            if (now - baseline < Math.max(SLACK_BYTES, baseline / 8)) return;
        }
        try {
            trim.invokeInt(new Object[] {new NativeLong(0)});
            trims++;
        } catch (LinkageError | RuntimeException e) {
            trim = null;  // never fail a run for it: stop trying
            return;
        }
        if (!everyStep) baseline = resident.getAsLong();
    }

    /** Whether {@link #afterStep()} may trim (Linux with glibc, not turned off). */
    public synchronized boolean active() {
        return trim != null;
    }

    /** How many steps have ended ({@link #afterStep()} calls). */
    public synchronized long steps() {
        return steps;
    }

    /** How many times this trimmer has trimmed. */
    public synchronized long trims() {
        return trims;
    }

    /** The resident size of this process in bytes (VmRSS of /proc/self/status), or −1 where unknown. */
    public static long resident() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or /proc not mounted
        }
        return -1;
    }
}
