package dfl.runtime;

/** Mean and unbiased variance of repeated-run statistics, shared by the convergence tests and the benches. */
public final class SampleStats {

    private SampleStats() {}

    public static double avg(double[] a) {
        double s = 0;
        for (double v : a) s += v;
        return s / a.length;
    }

    public static double var(double[] a) {
        double m = avg(a), s = 0;
        for (double v : a) s += (v - m) * (v - m);
        return s / (a.length - 1);
    }
}
