package dfl.examples.eval;

import dfl.spark.BatchJob;
import dfl.spark.DflBatch;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * What the batch evaluations share: running one {@code dfl batch} into a folder, and reading its result rows back (their
 * array columns with {@link dfl.spark.BatchSchema#samples} and {@link dfl.spark.BatchSchema#doubles}).
 */
final class BatchRows {

    private BatchRows() {}

    /** Runs {@code batch} over {@code data} into {@code dir} (Spark in process on {@code master}, no UI; progress on stderr). */
    static void run(DflBatch batch, Path data, String master, Path dir) throws IOException {
        BatchJob.run(batch, data.toString(), Path.of(""), master, Map.of("spark.ui.enabled", "false"), 0, 0,
                new BatchJob.Settings(dir, 0, 0, 4, new PrintWriter(System.err, true)));
    }

    /**
     * The {@code columns} of the result rows in {@code dir}, or of the finished chunks of a batch still in progress
     * there; null when there are none.
     */
    static List<Row> read(Path dir, String... columns) {
        Path results = dir.resolve("results");
        if (!Files.isDirectory(results)) results = BatchJob.workFolder(dir).resolve("results");
        if (!Files.isDirectory(results)) return null;
        SparkSession spark = SparkSession.builder().master("local[1]").appName("score " + dir).config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
        try {
            return spark.read().parquet(results.toString()).selectExpr(columns).collectAsList();
        } finally {
            spark.stop();
        }
    }
}
