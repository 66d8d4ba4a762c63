package dfl.plan;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** A tensor shape; the empty shape is a scalar. Dimensions are known at compile time. */
public record Shape(List<Integer> dims) {

    public static final Shape SCALAR = new Shape(List.of());

    public Shape {
        dims = List.copyOf(dims);
    }

    public static Shape of(int... dims) {
        return new Shape(Arrays.stream(dims).boxed().toList());
    }

    public int rank() {
        return dims.size();
    }

    public int dim(int i) {
        return dims.get(i);
    }

    /** Number of elements (1 for a scalar). */
    public long size() {
        long n = 1;
        for (int d : dims) n *= d;
        return n;
    }

    /** The row-major flat index {@code flat} as one index per dimension, e.g. 5 of [2, 3] is [1, 2]. */
    public int[] index(long flat) {
        int[] idx = new int[rank()];
        for (int a = rank() - 1; a >= 0; a--) {
            idx[a] = (int) (flat % dim(a));
            flat /= dim(a);
        }
        return idx;
    }

    public int[] toArray() {
        return dims.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Printed as {@code [28, 28]}; a scalar prints as {@code []}. */
    @Override
    public String toString() {
        return dims.stream().map(String::valueOf).collect(Collectors.joining(", ", "[", "]"));
    }
}
