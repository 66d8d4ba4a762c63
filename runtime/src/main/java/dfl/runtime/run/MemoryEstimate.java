package dfl.runtime.run;

import dfl.diag.Code;
import dfl.plan.Density;
import dfl.plan.ModelRef;
import dfl.plan.SamplerPlan;
import dfl.plan.TargetSpec;
import dfl.runtime.DflRuntimeException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How much memory a run needs, estimated from its plan before sampling starts, so that a run that cannot fit is refused
 * at once with the number ({@link Code#E0309}) instead of failing minutes later with {@link OutOfMemoryError} or a
 * native allocation failure (issue 15, items 8 and 9).
 *
 * <p>The model is linear in the particles K and the latent size d, with constants measured on this runtime with
 * {@code dfl run} under -Xmx limits and by peak RSS: the Java heap holds the particle state, its per-step copies and the output rows,
 * about {@value #HEAP_PER_PARTICLE} + {@value #HEAP_PER_VALUE}·d bytes per particle (posterior2d, d = 2, ran with
 * -Xmx256m at K = 8·10⁵ and failed at 1.6·10⁶; a 64-dimensional mixture ran at K = 4·10⁴ and failed at 8·10⁴); native memory holds the step's arrays and
 * their gradient graph, {@value #NATIVE_PER_VALUE} bytes per value and mixture component (posterior2d's and the 64-D
 * mixture's peak RSS over K), and for a network prior its activations, {@value #NETWORK_PER_VALUE} bytes per value of a
 * particle (MNIST U-Net with the classifier, card.dfl at T = 3: peak RSS 0.41, 0.71 and 1.08 GB at K = 16, 64 and 128,
 * 6.0 MB per particle of 784 values).
 * The estimate errs on the large side; it is a guard against runs that are orders of magnitude too large, not a budget.
 *
 * @param particles K
 * @param values    d, the values of one sample
 * @param heapBytes estimated peak Java heap
 * @param nativeBytes estimated peak native memory (libtorch arrays)
 */
public record MemoryEstimate(long particles, long values, double heapBytes, double nativeBytes) {

    static final long HEAP_PER_PARTICLE = 96;
    static final long HEAP_PER_VALUE = 72;
    static final long NATIVE_PER_VALUE = 200;
    static final long NETWORK_PER_VALUE = 8_000;

    /** The estimate for {@code plan} with its own particles. */
    public static MemoryEstimate of(SamplerPlan plan) {
        // tds(runs = R) batches R populations of K particles
        long k = (long) plan.sampler().particles() * (plan.sampler() instanceof dfl.plan.SamplerSpec.Tds t ? t.runs()
                : plan.sampler() instanceof dfl.plan.SamplerSpec.McgDiff g ? g.runs() : 1);
        long d = plan.latent().shape().size();
        List<Density.Diffusion> priors = new ArrayList<>();
        if (plan.target() instanceof TargetSpec.OnePrior one) priors.add(one.prior());
        else if (plan.target() instanceof TargetSpec.Composed c) priors.addAll(c.priors());
        double perParticleNative = 0;
        for (Density.Diffusion p : priors) {
            if (p.model() instanceof ModelRef.Gmm g) perParticleNative += (double) NATIVE_PER_VALUE * d * Math.max(1, g.means().size());
            else perParticleNative += (double) (NATIVE_PER_VALUE + NETWORK_PER_VALUE) * d;
        }
        if (priors.isEmpty()) perParticleNative = (double) NATIVE_PER_VALUE * d;
        return new MemoryEstimate(k, d, k * (HEAP_PER_PARTICLE + (double) HEAP_PER_VALUE * d), k * perParticleNative);
    }

    /** The most memory the JVM's heap may take (-Xmx). */
    public static long heapLimit() {
        return Runtime.getRuntime().maxMemory();
    }

    /** The machine's physical memory (the container's limit where there is one), or {@link Long#MAX_VALUE} if unknown. */
    public static long physicalMemory() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            long total = os.getTotalMemorySize();
            return total > 0 ? total : Long.MAX_VALUE;
        }
        return Long.MAX_VALUE;
    }

    /** The estimate with {@code heap} and {@code physical} as the limits; E0309 when it does not fit. */
    public MemoryEstimate require(long heap, long physical) {
        if (heapBytes > heap) {
            long fit = fitting(heap, heapBytes);
            throw new DflRuntimeException(Code.E0309, String.format(Locale.ROOT, "this run needs about %s of Java heap for %,d "
                    + "particles of %,d values, but the JVM may use at most %s; use at most %,d particles (--particles), or give "
                    + "the JVM more memory (-Xmx; dfl reads DFL_JAVA_OPTS, e.g. DFL_JAVA_OPTS=-Xmx%dg)", bytes(heapBytes),
                    particles, values, bytes(heap), fit, (long) Math.ceil(heapBytes * 1.25 / (1L << 30))));
        }
        double total = heapBytes + nativeBytes;
        if (total > physical) {
            long fit = fitting(physical, total);
            throw new DflRuntimeException(Code.E0309, String.format(Locale.ROOT, "this run needs about %s of memory for %,d "
                    + "particles of %,d values (%s of it outside the Java heap, for the model's arrays), but the machine has %s; "
                    + "use at most %,d particles (--particles)", bytes(total), particles, values, bytes(nativeBytes),
                    bytes(physical), fit));
        }
        return this;
    }

    /** {@link #require(long, long)} against this JVM's heap limit and this machine's memory. */
    public MemoryEstimate require() {
        return require(heapLimit(), physicalMemory());
    }

    /** E0309 for an allocation that failed during the run, with this estimate for scale. */
    public DflRuntimeException outOfMemory(String where) {
        return new DflRuntimeException(Code.E0309, String.format(Locale.ROOT, "the run ran out of memory (%s) with %,d particles "
                + "of %,d values; it needs about %s of Java heap (the JVM may use %s) and %s outside it (the machine has %s). "
                + "Use fewer particles (--particles), or give the JVM more memory (-Xmx; dfl reads DFL_JAVA_OPTS)", where, particles,
                values, bytes(heapBytes), bytes(heapLimit()), bytes(nativeBytes), bytes(physicalMemory())));
    }

    /** Whether {@code e} is libtorch's report of a failed native allocation. */
    public static boolean isNativeAllocationFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && (m.contains("not enough memory") || m.contains("bad_alloc") || m.contains("can't allocate memory")
                    || m.contains("Cannot allocate memory"))) {
                return true;
            }
        }
        return false;
    }

    private long fitting(double limit, double need) {
        return Math.max(1, (long) Math.floor(particles * (limit / need) * 0.8));
    }

    /** {@code b} bytes in MB or GB, three significant digits. */
    static String bytes(double b) {
        if (b >= 1e18) return "more than an exabyte";
        return b >= (1L << 30) ? String.format(Locale.ROOT, "%.3g GB", b / (1L << 30)) : String.format(Locale.ROOT, "%.3g MB", b / (1L << 20));
    }
}
