package dfl.cli;

import dfl.runtime.output.WeightedSummary;
import dfl.runtime.output.WeightedSummary.Row;
import java.util.List;
import java.util.Locale;

/**
 * The table of {@code dfl summary} and the REPL's {@code :show} after a run, in stansummary's layout: a name column,
 * then Mean, MCSE, StdDev, the 5%, 50% and 95% quantiles and ESS; or the same columns as CSV.
 */
public final class SummaryTable {

    static final String[] COLUMNS = {"Mean", "MCSE", "StdDev", "5%", "50%", "95%", "ESS"};

    private SummaryTable() {}

    /** The rows aligned in columns, numbers in 4 significant digits (ESS with one decimal). */
    public static String text(List<Row> rows) {
        int nameWidth = Math.max(8, rows.stream().mapToInt(r -> r.name().length()).max().orElse(0) + 2);
        StringBuilder s = new StringBuilder(" ".repeat(nameWidth));
        for (String c : COLUMNS) s.append(String.format(Locale.ROOT, "%11s", c));
        s.append('\n');
        for (Row r : rows) {
            s.append(String.format(Locale.ROOT, "%-" + nameWidth + "s", r.name()));
            for (double v : values(r)) s.append(String.format(Locale.ROOT, "%11s", WeightedSummary.format(v, 4)));
            s.setLength(s.length() - 11);
            s.append(String.format(Locale.ROOT, "%11.1f", r.ess())).append('\n');
        }
        return s.toString();
    }

    /** The rows as CSV with a header line, numbers in full precision (Java's shortest round-trip form). */
    public static String csv(List<Row> rows) {
        StringBuilder s = new StringBuilder("name,").append(String.join(",", COLUMNS)).append('\n');
        for (Row r : rows) {
            s.append(quote(r.name()));
            for (double v : values(r)) s.append(',').append(v);
            s.append('\n');
        }
        return s.toString();
    }

    private static double[] values(Row r) {
        return new double[] {r.mean(), r.mcse(), r.sd(), r.quantiles()[0], r.quantiles()[1], r.quantiles()[2], r.ess()};
    }

    private static String quote(String name) {
        return name.contains(",") ? "\"" + name + "\"" : name;
    }
}
