package dfl.cli.repl;

import dfl.plan.PlanPrinter;
import java.util.Arrays;
import java.util.Locale;

/** Values of a tensor as the REPL prints them: nested brackets up to 64 values, else a count with the mean and range. */
final class Values {

    static final int SHOWN = 64;

    private Values() {}

    static String format(double[] v, int[] shape) {
        if (v.length == 1 && shape.length == 0) return PlanPrinter.num(v[0]);
        if (v.length <= SHOWN) return PlanPrinter.values(Arrays.stream(v).boxed().toList(), shape);
        return String.format(Locale.ROOT, "%d values, mean %s, from %s to %s", v.length,
                PlanPrinter.num(Arrays.stream(v).average().orElseThrow()), PlanPrinter.num(Arrays.stream(v).min().orElseThrow()),
                PlanPrinter.num(Arrays.stream(v).max().orElseThrow()));
    }
}
