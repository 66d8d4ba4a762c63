package dfl.compiler;

import static dfl.compiler.TestPrograms.assertCompiles;
import static dfl.compiler.TestPrograms.assertError;
import static dfl.compiler.TestPrograms.check;
import static dfl.compiler.TestPrograms.compile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dfl.diag.Code;
import dfl.plan.SamplerPlan;
import dfl.plan.SamplerSpec;
import dfl.source.SourceFile;
import org.junit.jupiter.api.Test;

/** Lowering a checked program to its plan: the structure rules, sampler arguments and defaults, and the chosen sampler. */
class LoweringTest {

    @Test
    void checkThenLowerIsCompileAndTheAnalysisIsImmutable() {
        Compiler c = TestPrograms.compiler().build();
        SourceFile src = new SourceFile("t.dfl", TestPrograms.TOY + "sample x with tds(particles = 8);\n");
        Checked checked = c.check(src);
        CompileResult lowered = c.lower(checked);
        assertEquals(c.compile(src).plan(), lowered.plan());
        assertTrue(lowered.analysis() == checked);
        assertThrows(UnsupportedOperationException.class, () -> checked.bindings().clear());
        assertThrows(UnsupportedOperationException.class, () -> checked.values().clear());
        assertThrows(UnsupportedOperationException.class, () -> checked.diagnostics().clear());
    }

    @Test
    void samplerArgumentsAreReadFromTheAnalysisAndDefaultsFilledIn() {
        SamplerPlan p = assertCompiles(TestPrograms.TOY + "K = 8;\nsample x with tds(particles = K, resample = stratified);\n").plan().get();
        SamplerSpec.Tds t = (SamplerSpec.Tds) p.sampler();
        assertEquals(8, t.particles());
        assertEquals(100, t.steps());
        assertEquals(SamplerSpec.Resampling.STRATIFIED, t.resample());
        assertEquals(0.5, t.ess());
        assertEquals("t", p.modelName());
        assertEquals(1, p.likelihoods().size());
        assertTrue(p.reason().startsWith("named in the sample statement at line 6"), p.reason());
    }

    @Test
    void withoutANamedSamplerThePriorAloneIsSampledInReverseALinearObservationByMcgDiffAndOthersByTds() {
        SamplerPlan alone = assertCompiles("prior = diffusion(\"gauss\");\nsample x;\n").plan().get();
        assertTrue(alone.sampler() instanceof SamplerSpec.Reverse, alone.sampler().toString());
        assertEquals(1000, alone.sampler().particles(), "small latents get many samples");
        SamplerPlan observed = assertCompiles(TestPrograms.TOY + "sample x;\n").plan().get();
        assertTrue(observed.sampler() instanceof SamplerSpec.McgDiff, observed.sampler().toString());
        assertTrue(observed.reason().startsWith("chosen by the compiler"), observed.reason());
        assertTrue(observed.reason().contains("linear-Gaussian"), observed.reason());
        SamplerPlan nonlinear = assertCompiles(TestPrograms.TOY + "observe [0.3] ~ Normal((A @ x) * (A @ x), 0.1);\nsample x;\n").plan().get();
        assertTrue(nonlinear.sampler() instanceof SamplerSpec.Tds, nonlinear.sampler().toString());
        SamplerPlan affine = assertCompiles(TestPrograms.TOY + "observe [0.3, 0.1] ~ Normal(-(2 * x - [1, 1]) / 4 + [[1, 1], [0, 1]] @ x, 0.1);\n"
                + "sample x;\n").plan().get();
        assertTrue(affine.sampler() instanceof SamplerSpec.McgDiff, affine.sampler().toString());
    }

    @Test
    void anUnknownSamplerOrArgumentIsReportedWithASuggestion() {
        assertError(compile("prior = diffusion(\"gauss\");\nsample x with tsd();\n"), Code.E0212, "Did you mean 'tds'?");
        assertError(compile("prior = diffusion(\"gauss\");\nsample x with tds(particle = 4);\n"), Code.E0105, "Did you mean 'particles'?");
    }

    @Test
    void argumentValuesAreChecked() {
        assertError(compile("prior = diffusion(\"gauss\");\nsample x with tds(particles = 0);\n"), Code.E0113);
        assertError(compile("prior = diffusion(\"gauss\");\nsample x with reverse(steps = 5000);\n"), Code.E0113, "trained with 1000 noise steps");
    }

    @Test
    void aFileNeedsASampleStatementALatentAndOnePrior() {
        assertError(compile("prior = diffusion(\"gauss\");\nx ~ prior;\n"), Code.E0201, "sample x;");
        assertError(compile("prior = diffusion(\"gauss\");\n"), Code.E0203);
        assertError(compile("p = diffusion(\"gauss\");\nq = diffusion(\"gauss\");\nsample x;\n"), Code.E0215, "Several diffusion priors are bound (p, q)");
        assertError(compile("prior = diffusion(\"gauss\");\nsample x;\nsample x;\n"), Code.E0202);
        assertError(compile("prior = diffusion(\"gauss\");\nsample x;\ncompose prior;\n"), Code.E0216);
        CompileResult repl = TestPrograms.compiler().optRequireSample(false).build().compile(new SourceFile("t.dfl", "prior = diffusion(\"gauss\");\nx ~ prior;\n"));
        assertFalse(repl.hasErrors(), "the REPL plans without a sample statement");
        assertTrue(repl.plan().isPresent());
    }

    @Test
    void theLatentsShapeComesFromThePriorEvenWhenTheObservationComesFirst() {
        Checked c = check("y = [1.0];\nobserve y ~ Normal([[1, 0]] @ x, 1);\nx ~ diffusion(\"gauss\");\nsample x;\n");
        assertFalse(c.hasErrors(), c.diagnostics().toString());
        assertEquals(dfl.plan.Shape.of(2), c.latent().get().shape().get());
    }
}
