package dfl.runtime.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dfl.diag.Code;
import dfl.plan.Shape;
import dfl.runtime.DflRuntimeException;
import dfl.runtime.run.FiniteOutputs;
import dfl.runtime.run.RunResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 15, item 1: no output value that is not finite as written; the writer refuses before touching the folder. */
class FiniteOutputsTest {

    private static RunResult result(float[][] samples, double[] lw, double z, List<Double> runs) {
        return new RunResult("tds", 1, 3, Shape.of(samples[0].length), samples, lw, z, List.of(), 0, 0, 0, List.of(), runs);
    }

    @Test
    void float64BeyondFloat32IsRefusedWithTheValue() {
        DflRuntimeException e = assertThrows(DflRuntimeException.class,
                () -> FiniteOutputs.toFloat32(new double[] {1.0, 1e39, 2.0, -1e40}, 2, 2, "the last sampling step"));
        assertEquals(Code.E0303, e.code());
        assertTrue(e.getMessage().contains("2 of 4"), e.getMessage());
        assertTrue(e.getMessage().contains("particle 1, coordinate 2 = 1.00000e+39"), e.getMessage());
        float[][] ok = FiniteOutputs.toFloat32(new double[] {1.0, 3e38}, 1, 2, "x");
        assertEquals(3e38f, ok[0][1]);
    }

    @Test
    void everyOutputIsChecked() {
        double[] lw = {Math.log(0.5), Math.log(0.5)};
        float[][] fine = {{1f}, {2f}};
        FiniteOutputs.check(result(fine, lw, -1.0, List.of()), true);
        FiniteOutputs.check(result(fine, new double[] {0.0, Double.NEGATIVE_INFINITY}, -1.0, List.of()), true);
        assertEquals(Code.E0303, assertThrows(DflRuntimeException.class,
                () -> FiniteOutputs.check(result(new float[][] {{1f}, {Float.NEGATIVE_INFINITY}}, lw, -1, List.of()), true)).code());
        assertEquals(Code.E0303, assertThrows(DflRuntimeException.class,
                () -> FiniteOutputs.check(result(fine, new double[] {0, Double.NaN}, -1, List.of()), true)).code());
        assertEquals(Code.E0304, assertThrows(DflRuntimeException.class, () -> FiniteOutputs.check(
                result(fine, new double[] {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY}, -1, List.of()), true)).code());
        DflRuntimeException sum = assertThrows(DflRuntimeException.class,
                () -> FiniteOutputs.check(result(fine, new double[] {0.0, 0.0}, -5e78, List.of()), true));
        assertTrue(sum.getMessage().contains("do not sum to 1"), sum.getMessage());
        DflRuntimeException z = assertThrows(DflRuntimeException.class,
                () -> FiniteOutputs.check(result(fine, lw, Double.NEGATIVE_INFINITY, List.of()), true));
        assertTrue(z.getMessage().contains("log-evidence"), z.getMessage());
        assertThrows(DflRuntimeException.class, () -> FiniteOutputs.check(result(fine, lw, Double.NaN, List.of()), true));
        FiniteOutputs.check(result(fine, lw, Double.NaN, List.of()), false); // NaN: no estimate, for reverse and DPS
        assertThrows(DflRuntimeException.class,
                () -> FiniteOutputs.check(result(fine, lw, -1.0, List.of(-1.0, Double.POSITIVE_INFINITY)), true));
    }

    @Test
    void theWriterRefusesBeforeWritingAnything(@TempDir Path dir) throws Exception {
        RunResult bad = result(new float[][] {{Float.POSITIVE_INFINITY}}, new double[] {0.0}, -1.0, List.of());
        assertEquals(Code.E0303, assertThrows(DflRuntimeException.class, () -> RunOutputs.writeAll(dir, null, bad)).code());
        try (var files = Files.list(dir)) {
            assertFalse(files.findAny().isPresent());
        }
    }
}
