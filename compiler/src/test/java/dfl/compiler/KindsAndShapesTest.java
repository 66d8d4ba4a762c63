package dfl.compiler;

import static dfl.compiler.TestPrograms.assertCompiles;
import static dfl.compiler.TestPrograms.assertError;
import static dfl.compiler.TestPrograms.check;
import static dfl.compiler.TestPrograms.compile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dfl.compiler.value.Value;
import dfl.diag.Code;
import dfl.plan.Shape;
import org.junit.jupiter.api.Test;

/** Kinds (numbers, tensors, densities, distributions) and tensor shapes: what checks, and what is reported. */
class KindsAndShapesTest {

    @Test
    void theAnalysisGivesEveryBindingItsKindAndShape() {
        Checked c = check(TestPrograms.TOY + "G(z) = A @ z;\nsample x;\n");
        assertEquals("a density over [2]", c.binding("prior").get().kind());
        assertEquals(Shape.of(1, 2), c.binding("A").get().shape().get());
        assertEquals("a function of 1 argument", c.binding("G").get().kind());
        assertEquals(Shape.of(2), c.latent().get().shape().get());
        assertEquals(1, c.observations().size());
        assertEquals(Shape.of(1), c.observations().get(0).dist().mean().shape());
    }

    @Test
    void aComposeOfANumberIsTheWrongKind() {
        assertError(compile("compose 3;\nsample x;\n"), Code.E0107, "'compose' must be a density, but this is a number");
    }

    @Test
    void theRightOfAnObservationMustBeADistribution() {
        assertError(compile("prior = diffusion(\"gauss\");\ny = [1.0];\nobserve y ~ prior;\nsample x;\n"), Code.E0207, "must be a distribution");
    }

    @Test
    void aNumberTimesADensityIsNotDefined() {
        assertError(compile("prior = diffusion(\"gauss\");\ncompose 2 * prior;\nsample x;\n"), Code.E0115, "raise it to a power");
    }

    @Test
    void matrixProductsCheckTheirInnerDimension() {
        assertCompiles(TestPrograms.TOY + "sample x;\n");
        assertError(compile(TestPrograms.TOY.replace("[[1.0, 0.5]]", "[[1.0, 0.5, 2.0]]") + "sample x;\n"), Code.E0108);
    }

    @Test
    void theDataMustHaveTheShapeOfTheMean() {
        assertError(compile(TestPrograms.TOY.replace("y = [1.2];", "y = [1.2, 3.4];") + "sample x;\n"), Code.E0108,
                "the data has shape [2] but the mean of its distribution has shape [1]");
    }

    @Test
    void raggedLiteralsAreRejected() {
        assertError(compile("prior = diffusion(\"gauss\");\nA = [[1, 2], [3]];\nsample x;\n"), Code.E0114);
    }

    @Test
    void anOverrideKeepsTheKindAndTheDeclaredValueStaysInTheAnalysis() {
        Checked c = TestPrograms.compiler().optOverride("σ", new Value.Num(0.5)).build()
                .check(new dfl.source.SourceFile("t.dfl", "prior = diffusion(\"gauss\");\nσ = 0.3;\ny = [1.0];\nobserve y ~ Normal([[1, 0]] @ x, σ);\nsample x;\n"));
        assertEquals(new Value.Num(0.5), c.binding("σ").get().value());
        assertEquals(new Value.Num(0.3), c.binding("σ").get().declared());
        CompileResult wrongKind = TestPrograms.compiler().optOverride("prior", new Value.Num(1)).build()
                .compile(new dfl.source.SourceFile("t.dfl", "prior = diffusion(\"gauss\");\nsample x;\n"));
        assertError(wrongKind, Code.E0307, "--set only replaces numbers");
        assertEquals(new dfl.plan.LikelihoodFamily.Normal(0.5), c.observations().get(0).dist().family());
    }
}
