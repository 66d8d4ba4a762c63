package dfl.examples.eval;

/** The mean of per-run scores and its standard error, √(sample variance / n), for the evaluation tables. */
final class RunMean {

    private double sum;
    private double sumSq;
    private int n;

    void add(double x) {
        sum += x;
        sumSq += x * x;
        n++;
    }

    int count() {
        return n;
    }

    double mean() {
        return sum / n;
    }

    /** NaN for fewer than two runs. */
    double standardError() {
        double m = mean();
        return n > 1 ? Math.sqrt(Math.max(0, sumSq / n - m * m) / (n - 1)) : Double.NaN;
    }
}
