package dfl.compiler.check;

import dfl.plan.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Shape rules for tensor operators: NumPy broadcasting and matrix products. */
final class Shapes {

    private Shapes() {}

    /** The broadcast shape of two shapes (trailing dimensions align; 1 stretches), if compatible. */
    static Optional<Shape> broadcast(Shape a, Shape b) {
        int n = Math.max(a.rank(), b.rank());
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int da = dimFromEnd(a, n - 1 - i);
            int db = dimFromEnd(b, n - 1 - i);
            if (da != db && da != 1 && db != 1) return Optional.empty();
            out.add(Math.max(da, db));
        }
        return Optional.of(new Shape(out));
    }

    private static int dimFromEnd(Shape s, int fromEnd) {
        int i = s.rank() - 1 - fromEnd;
        return i >= 0 ? s.dim(i) : 1;
    }

    /** [m,n]@[n] = [m]; [m,n]@[n,k] = [m,k]; [n]@[n] = []; [n]@[n,k] = [k]. */
    static Optional<Shape> matmul(Shape a, Shape b) {
        if (a.rank() < 1 || a.rank() > 2 || b.rank() < 1 || b.rank() > 2) return Optional.empty();
        int inner = a.dim(a.rank() - 1);
        int other = b.dim(0);
        if (inner != other) return Optional.empty();
        List<Integer> out = new ArrayList<>();
        if (a.rank() == 2) out.add(a.dim(0));
        if (b.rank() == 2) out.add(b.dim(1));
        return Optional.of(new Shape(out));
    }

    /** Elementwise values of a broadcast operation on constants (row-major). */
    static double[] broadcastValues(double[] x, Shape xs, Shape out) {
        int n = (int) out.size();
        double[] r = new double[n];
        int[] od = out.toArray();
        int[] xd = xs.toArray();
        int offset = od.length - xd.length;
        int[] idx = new int[od.length];
        for (int k = 0; k < n; k++) {
            int flat = 0;
            for (int d = 0; d < xd.length; d++) {
                int i = xd[d] == 1 ? 0 : idx[d + offset];
                flat = flat * xd[d] + i;
            }
            r[k] = x[flat];
            for (int d = od.length - 1; d >= 0; d--) {
                if (++idx[d] < od[d]) break;
                idx[d] = 0;
            }
        }
        return r;
    }
}
