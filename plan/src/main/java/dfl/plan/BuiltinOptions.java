package dfl.plan;

import java.util.Map;

/**
 * The constant options of a built-in tensor operator ({@link TensorExpr.Builtin}), as a record of the library that
 * defines the operator: its compile-time half builds the record, its run-time half reads the fields (no untyped map
 * read back with casts). The plan printer shows {@link #shown()}.
 */
public interface BuiltinOptions {

    /** No options. */
    BuiltinOptions NONE = Map::of;

    /** The options by name as {@code dfl plan} prints them (sorted by name): numbers as {@link Double}, text as {@link String}. */
    Map<String, Object> shown();
}
