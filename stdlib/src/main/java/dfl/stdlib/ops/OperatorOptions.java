package dfl.stdlib.ops;

import dfl.plan.BuiltinOptions;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The typed options of the standard library's tensor operators: {@code dfl.stdlib.builtins} builds them when it checks
 * a call, {@code dfl.stdlib.runtime.StdlibProvider} reads them when the model runs.
 */
public sealed interface OperatorOptions extends BuiltinOptions {

    /**
     * {@code mask(kind, height, width, fraction, seed)}: a named mask or a .png file; {@code fraction} and {@code seed}
     * apply to {@code "random"} masks only.
     */
    record Mask(String kind, int height, int width, double fraction, long seed) implements OperatorOptions {

        /** A mask other than "random" (fraction and seed unused). */
        public Mask(String kind, int height, int width) {
            this(kind, height, width, 0.5, 0);
        }

        /** Whether this is the seeded random mask. */
        public boolean random() {
            return kind.equals("random");
        }

        @Override
        public Map<String, Object> shown() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", kind);
            m.put("height", (double) height);
            m.put("width", (double) width);
            if (random()) {
                m.put("fraction", fraction);
                m.put("seed", (double) seed);
            }
            return m;
        }
    }

    /** {@code blur(x, sigma)}: a Gaussian blur with std {@code sigma} pixels. */
    record Blur(double sigma) implements OperatorOptions {
        @Override
        public Map<String, Object> shown() {
            return Map.of("sigma", sigma);
        }
    }

    /** {@code downsample(x, factor)}: average pooling by {@code factor}. */
    record Downsample(int factor) implements OperatorOptions {
        @Override
        public Map<String, Object> shown() {
            return Map.of("factor", (double) factor);
        }
    }
}
