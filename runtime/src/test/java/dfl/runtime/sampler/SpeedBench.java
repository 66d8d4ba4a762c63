package dfl.runtime.sampler;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Wall time of samplers on the accuracy family's cases, side by side: the variants of {@link AccuracyBench} run in turn
 * (round-robin, so a change in the machine's load hits all of them alike), and the table gives the fastest and the
 * median seconds per run, and the median CPU seconds of the whole process per run (all threads: on a loaded shared
 * machine wall time is mostly waiting, CPU time is not). On a shared machine the fastest run is the better estimate of
 * the sampler's own wall time.
 *
 * <p>Usage: {@code SpeedBench REPEATS K T VARIANT,VARIANT.. CASE,CASE..} (case seed 1, run seeds 1..REPEATS).
 */
public final class SpeedBench {

    public static void main(String[] args) {
        int repeats = Integer.parseInt(args[0]);
        int k = Integer.parseInt(args[1]);
        int t = Integer.parseInt(args[2]);
        String[] variants = args[3].split(",");
        System.out.printf(Locale.ROOT, "K = %d, T = %d, case seed 1, %d runs per variant, round-robin%n%n", k, t, repeats);
        System.out.println("| case | " + String.join(" | ", Arrays.stream(variants).map(v -> v + " s/run (min, median; cpu)").toList()) + " |");
        System.out.println("|---|" + "---|".repeat(variants.length));
        for (String name : args[4].split(",")) {
            AccuracyCase c = AccuracyBench.member(name).make().apply(1);
            List<List<Double>> secs = new ArrayList<>(), cpus = new ArrayList<>();
            for (String v : variants) {
                secs.add(new ArrayList<>());
                cpus.add(new ArrayList<>());
            }
            for (int s = 1; s <= repeats; s++) {
                for (int v = 0; v < variants.length; v++) {
                    long cpu0 = processCpuNanos();
                    secs.get(v).add(AccuracyBench.run(c, variants[v], k, t, s).seconds());
                    cpus.get(v).add((processCpuNanos() - cpu0) * 1e-9);
                }
            }
            StringBuilder row = new StringBuilder("| " + c.name() + " |");
            for (int v = 0; v < variants.length; v++) {
                double[] a = secs.get(v).stream().mapToDouble(Double::doubleValue).sorted().toArray();
                double[] u = cpus.get(v).stream().mapToDouble(Double::doubleValue).sorted().toArray();
                row.append(String.format(Locale.ROOT, " %.2f, %.2f; %.2f |", a[0], a[a.length / 2], u[u.length / 2]));
            }
            System.out.println(row);
        }
    }

    /** CPU time of this process, all threads. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
