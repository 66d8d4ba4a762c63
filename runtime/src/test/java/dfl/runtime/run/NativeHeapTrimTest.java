package dfl.runtime.run;

import static org.junit.jupiter.api.Assertions.*;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import dfl.plan.SamplerPlan;
import dfl.plan.SamplerSpec;
import dfl.runtime.TestPlans;
import dfl.runtime.model.RuntimeProvider;
import dfl.runtime.sampler.ReplacementCase;
import dfl.runtime.sampler.Sampling;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * NativeHeapTrim: trims only once the resident size grew by the slack; a missing function is a no-op; on Linux with
 * glibc malloc_trim really returns freed heap memory that glibc kept, and every sampler calls it after each step. The
 * peak memory of long runs over T is measured by scripts/memory-bench.sh, not here: an untrimmed posterior2d run grew
 * by about 1.3 MB per step at K = 10⁵ (567 MB at T = 5, 1874 MB at T = 1000), so a run this suite can afford grows by
 * less than the slack, and the Java heap's own growth on a shared machine blurs an RSS bound at that scale.
 */
class NativeHeapTrimTest {

    private static final long MB = 1L << 20;

    /** Linux with glibc: the C library has gnu_get_libc_version. There the trimmer must be active. */
    private static boolean glibc() {
        if (!Platform.isLinux()) return false;
        try {
            NativeLibrary.getInstance(Platform.C_LIBRARY_NAME).getFunction("gnu_get_libc_version");
            return true;
        } catch (UnsatisfiedLinkError e) {
            return false;
        }
    }

    @Test
    void trimsOnlyOnceTheResidentSizeGrewByTheSlack() {
        AtomicLong rss = new AtomicLong(400 * MB);
        NativeHeapTrim t = new NativeHeapTrim("malloc_trim", false, rss::get);
        assertEquals(glibc(), t.active());
        t.afterStep();                     // the first step sets the baseline
        rss.set(400 * MB + NativeHeapTrim.SLACK_BYTES - 1);
        t.afterStep();
        assertEquals(0, t.trims(), "grown by less than the slack");
        rss.set(400 * MB + NativeHeapTrim.SLACK_BYTES);
        t.afterStep();
        assertEquals(glibc() ? 1 : 0, t.trims(), "grown by the slack");
        t.afterStep();                     // the baseline is now the size after that trim
        assertEquals(glibc() ? 1 : 0, t.trims());
        rss.set(2048 * MB);                // an eighth of a large baseline is more than the slack
        t.afterStep();
        rss.set(2048 * MB + 255 * MB);
        t.afterStep();
        assertEquals(glibc() ? 2 : 0, t.trims(), "a large run's slack is an eighth of its size, 256 MB here");
        rss.set(2048 * MB + 512 * MB);
        t.afterStep();
        assertEquals(glibc() ? 3 : 0, t.trims());
        rss.set(300 * MB);                 // a smaller run afterwards: the slack counts from its size
        t.afterStep();
        rss.set(300 * MB + NativeHeapTrim.SLACK_BYTES);
        t.afterStep();
        assertEquals(glibc() ? 4 : 0, t.trims());
        assertEquals(9, t.steps());
    }

    @Test
    void unknownSizeOrMissingFunctionIsANoOp() {
        NativeHeapTrim missing = new NativeHeapTrim("dfl_no_such_function", false, () -> 0);
        assertFalse(missing.active(), "musl's C library has no malloc_trim: nothing to call");
        NativeHeapTrim off = NativeHeapTrim.fromProperty("false");
        assertFalse(off.active(), "-Ddfl.malloc.trim=false");
        NativeHeapTrim blind = new NativeHeapTrim("malloc_trim", false, () -> -1);
        for (int i = 0; i < 3; i++) {
            missing.afterStep();
            off.afterStep();
            blind.afterStep();
        }
        assertEquals(0, missing.trims() + off.trims() + blind.trims(), "no trimming without the function or the size");
        assertEquals(3, missing.steps());
        assertEquals(glibc(), NativeHeapTrim.fromProperty("always").active());
    }

    /**
     * What the runs suffer from, in small: 96 MB freed in holes between live allocations stay resident, because glibc
     * returns only the free top of a heap by itself; malloc_trim(0) gives the holes' pages back.
     */
    @Test
    void trimReturnsFreedHeapMemoryThatGlibcKept() {
        if (!glibc()) {
            assertFalse(NativeHeapTrim.shared().active(), "no glibc, no trimming");
            return;
        }
        assertTrue(NativeHeapTrim.resident() > 0, "VmRSS of /proc/self/status");
        NativeHeapTrim t = NativeHeapTrim.fromProperty("always");
        t.afterStep();
        int chunk = 64 * 1024, pin = 16 * 1024, n = 1536;  // below glibc's smallest mmap threshold (128 KB): in a heap
        long[] blocks = new long[n], pins = new long[n];
        try {
            for (int i = 0; i < n; i++) {
                blocks[i] = Native.malloc(chunk);
                pins[i] = Native.malloc(pin);  // live between the blocks, like small long-lived buffers
                assertNotEquals(0, blocks[i]);
                new Pointer(blocks[i]).setMemory(0, chunk, (byte) 1);  // resident
            }
            long before = NativeHeapTrim.resident();
            for (int i = 0; i < n; i++) {
                Native.free(blocks[i]);
                blocks[i] = 0;
            }
            long kept = NativeHeapTrim.resident();
            assertTrue(kept > before - 32 * MB,
                    "glibc kept the freed memory: " + (before - kept) / MB + " MB of 96 returned");
            t.afterStep();
            long trimmed = NativeHeapTrim.resident();
            assertEquals(2, t.trims(), "trimmed after both steps");
            assertTrue(kept - trimmed > 64 * MB,
                    "malloc_trim returned " + (kept - trimmed) / MB + " MB of the 96 MB freed");
        } finally {
            for (int i = 0; i < n; i++) {
                if (blocks[i] != 0) Native.free(blocks[i]);
                if (pins[i] != 0) Native.free(pins[i]);
            }
        }
    }

    /** Every sampler ends each step's evaluation through the shared trimmer (TDS's last, exact evaluation too). */
    @Test
    void everySamplerTrimsAfterEachStep() {
        assertEquals(glibc(), NativeHeapTrim.shared().active(), "the samplers' trimmer");
        Map<String, SamplerSpec> samplers = Map.of(
                "tds", TestPlans.tds(32, 12),
                "dps", new SamplerSpec.Dps(16, 12, 0.3),
                "reverse", new SamplerSpec.Reverse(16, 12),
                "tds-replacement", ReplacementCase.replacement(16, 12, 0.5),
                "annealed", new SamplerSpec.Annealed(16, 12, new SamplerSpec.Kernel.Mala(), 2,
                        new SamplerSpec.StepSize(1.0, 1.0, true), new SamplerSpec.Mh.Energy(), true, 0.65),
                "cfg_reverse", new SamplerSpec.CfgReverse(16, 12));
        for (var e : samplers.entrySet()) {
            long before = NativeHeapTrim.shared().steps();
            // the replacement variant needs a mask observation
            SamplerPlan plan = e.getValue() instanceof SamplerSpec.Tds t && t.replacement()
                    ? ReplacementCase.plan(t) : TestPlans.posterior2d(e.getValue());
            RunResult r = Sampling.run(plan, RunOptions.seed(1), RuntimeProvider.NONE, StepListener.NONE);
            long exact = e.getKey().equals("tds") ? 1 : 0;  // the final likelihood at x0, no network call
            assertTrue(r.networkCalls() >= 12, e.getKey() + ": " + r.networkCalls());
            assertEquals(r.networkCalls() + exact, NativeHeapTrim.shared().steps() - before, e.getKey());
        }
    }
}
