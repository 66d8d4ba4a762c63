package dfl.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dfl.diag.Code;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** {@code diffusion("mnist", cond = k)}: the shipped class-conditional network through the one pipeline. */
class ShippedConditionalModelTest {

    private static float[][] run(String cond, String sampler, long seed) {
        DflModel m = Dfl.compile("prior = diffusion(\"mnist\", cond = " + cond + ");\nsample x with " + sampler + ";\n", "cond");
        try (SamplerRun run = m.sampler().optSeed(seed).build()) {
            return run.run().samples();
        }
    }

    @Test
    void theLabelReachesTheNetwork() {
        String sampler = "reverse(particles = 2, steps = 4)";
        float[][] three = run("3", sampler, 7);
        assertEquals(2, three.length);
        assertEquals(784, three[0].length);
        for (float[] x : three) for (float v : x) assertTrue(Float.isFinite(v));
        // same label and seed: the same bytes; another label or the null label: other samples
        assertArrayEquals(three[0], run("3", sampler, 7)[0]);
        assertFalse(Arrays.equals(three[0], run("8", sampler, 7)[0]));
        assertFalse(Arrays.equals(three[0], run("null", sampler, 7)[0]));
    }

    @Test
    void guidanceComposesTheLabelWithTheNullCondition() {
        DflModel m = Dfl.compile("cond = diffusion(\"mnist\", cond = 3);\nuncond = diffusion(\"mnist\", cond = null);\nw = 2;\n"
                + "compose cond^w * uncond^(1 - w);\nsample x with cfg_reverse(particles = 2, steps = 3);\n", "cfg");
        try (SamplerRun run = m.sampler().optSeed(1).build()) {
            Result r = run.run();
            assertEquals(2, r.size());
        }
    }

    @Test
    void labelsOutsideTheDigitsAndVectorsAreCompileErrors() {
        for (String cond : new String[] {"10", "-1", "[0.5, 1]"}) {
            DflCompileException e = assertThrows(DflCompileException.class,
                    () -> Dfl.compile("prior = diffusion(\"mnist\", cond = " + cond + ");\nsample x;\n", "bad"), cond);
            assertEquals(Code.E0113, e.errors().get(0).code(), cond + ": " + e.errors());
        }
    }
}
