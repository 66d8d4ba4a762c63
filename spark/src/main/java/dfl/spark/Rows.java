package dfl.spark;

import java.util.ArrayList;
import java.util.List;
import scala.jdk.javaapi.CollectionConverters;

/** Java arrays as the Scala sequences Spark's rows hold for array columns, and back. */
final class Rows {

    private Rows() {}

    static scala.collection.immutable.Seq<Object> seq(List<Object> values) {
        return CollectionConverters.asScala(values).toSeq();
    }

    static scala.collection.immutable.Seq<Object> seq(double[] v) {
        return seq(boxed(v));
    }

    static List<Object> boxed(float[] v) {
        List<Object> out = new ArrayList<>(v.length);
        for (float x : v) out.add(x);
        return out;
    }

    static List<Object> boxed(double[] v) {
        List<Object> out = new ArrayList<>(v.length);
        for (double x : v) out.add(x);
        return out;
    }

    static List<Object> boxed(int[] v) {
        List<Object> out = new ArrayList<>(v.length);
        for (int x : v) out.add(x);
        return out;
    }

    /** A column of doubles as a Java array. */
    static double[] doubles(List<?> v) {
        double[] d = new double[v.size()];
        for (int j = 0; j < d.length; j++) d[j] = ((Number) v.get(j)).doubleValue();
        return d;
    }
}
