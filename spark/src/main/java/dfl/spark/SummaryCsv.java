package dfl.spark;

import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;

/** summary.csv: the scalar columns of a batch's results, one line per observation, RFC 4180 quoting. */
final class SummaryCsv {

    private SummaryCsv() {}

    static String text(List<Row> rows) {
        StringBuilder s = new StringBuilder(String.join(",", BatchSchema.SCALARS)).append('\n');
        for (Row r : rows) {
            for (int i = 0; i < BatchSchema.SCALARS.length; i++) {
                if (i > 0) s.append(',');
                s.append(cell(r.isNullAt(i) ? null : r.get(i)));
            }
            s.append('\n');
        }
        return s.toString();
    }

    private static String cell(Object v) {
        if (v == null) return "";
        if (v instanceof Double d) return String.format(Locale.ROOT, "%.9g", d);
        String t = v.toString();
        if (t.indexOf(',') < 0 && t.indexOf('"') < 0 && t.indexOf('\n') < 0 && t.indexOf('\r') < 0) return t;
        return '"' + t.replace("\"", "\"\"") + '"';
    }
}
