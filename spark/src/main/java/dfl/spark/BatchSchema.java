package dfl.spark;

import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.FloatType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;

import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/** The columns of the observations going in and of the results coming out of a batch. */
public final class BatchSchema {

    private BatchSchema() {}

    /** Status of an observation whose run finished. */
    public static final String OK = "ok";
    /** Status of an observation that failed (its diagnostic code and message are in the row). */
    public static final String FAILED = "failed";

    /**
     * Observations: {@code id} (unique, it seeds the run), {@code index} (the listing's order, for reports),
     * {@code source} (the file it came from), and either {@code values} (the data, row-major) or {@code path} (a data
     * file the executor reads with the same readers as {@code load(...)}).
     */
    public static final StructType OBSERVATIONS = new StructType()
            .add("id", StringType, false)
            .add("index", LongType, false)
            .add("source", StringType, true)
            .add("path", StringType, true)
            .add("values", createArrayType(DoubleType, false), true)
            .add("shape", createArrayType(IntegerType, false), true);

    /**
     * One row per observation: its id, index, source and seed; {@code status} {@value #OK} or {@value #FAILED} with the
     * diagnostic {@code code} and {@code message}; the estimate of log p(y) ({@code log_evidence}, null where the
     * sampler gives none), the ESS of the output weights ({@code ess}) and before the last resampling, the surviving
     * ancestors at the last resampling ({@code unique_ancestors}), distinct samples, seconds, the weighted posterior
     * mean, the samples (N rows of the flattened latent) with their normalised weights, the latent's shape and the
     * run's warnings.
     */
    public static final StructType RESULTS = new StructType()
            .add("id", StringType, false)
            .add("index", LongType, false)
            .add("source", StringType, true)
            .add("seed", LongType, false)
            .add("status", StringType, false)
            .add("code", StringType, true)
            .add("message", StringType, true)
            .add("log_evidence", DoubleType, true)
            .add("ess", DoubleType, true)
            .add("ess_before_last_resampling", DoubleType, true)
            .add("unique_ancestors", IntegerType, true)
            .add("distinct_samples", IntegerType, true)
            .add("seconds", DoubleType, false)
            .add("shape", createArrayType(IntegerType, false), true)
            .add("mean", createArrayType(DoubleType, false), true)
            .add("samples", createArrayType(createArrayType(FloatType, false), false), true)
            .add("weights", createArrayType(DoubleType, false), true)
            .add("warnings", StringType, true);

    /** The scalar columns, as summary.csv has them. */
    public static final String[] SCALARS = {"id", "index", "source", "seed", "status", "code", "message", "log_evidence", "ess",
        "ess_before_last_resampling", "unique_ancestors", "distinct_samples", "seconds", "warnings"};

    /** A result row's samples column ({@code column}: N rows of the flattened latent) as float[N][d]. */
    public static float[][] samples(Row r, int column) {
        return r.getList(column).stream().map(x -> {
            List<?> v = scala.jdk.javaapi.CollectionConverters.asJava((scala.collection.Seq<?>) x);
            float[] f = new float[v.size()];
            for (int j = 0; j < f.length; j++) f[j] = ((Number) v.get(j)).floatValue();
            return f;
        }).toArray(float[][]::new);
    }

    /** A result row's array-of-doubles column ({@code column}: weights, mean) as double[]. */
    public static double[] doubles(Row r, int column) {
        return Rows.doubles(r.getList(column));
    }
}
