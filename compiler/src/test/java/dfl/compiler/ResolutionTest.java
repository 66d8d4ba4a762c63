package dfl.compiler;

import static dfl.compiler.TestPrograms.assertCompiles;
import static dfl.compiler.TestPrograms.assertError;
import static dfl.compiler.TestPrograms.check;
import static dfl.compiler.TestPrograms.compile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dfl.compiler.value.Value;
import dfl.diag.Code;
import dfl.diag.Diagnostic;
import dfl.source.SourceFile;
import org.junit.jupiter.api.Test;

/** Name resolution: sequential scoping, built-in names, the latent, and what is reported when a name does not resolve. */
class ResolutionTest {

    @Test
    void namesReferToTheLatestDefinitionAboveAndABuiltinsNameMayBeRebound() {
        Checked c = check("a = 1;\nb = a + 1;\nclf = clf();\nprior = diffusion(\"gauss\");\ncompose prior * clf;\nsample x;\n");
        assertEquals(new Value.Num(2), c.binding("b").get().value());
        assertTrue(c.binding("clf").get().value() instanceof Value.Dens);
        assertTrue(c.diagnostics().stream().noneMatch(Diagnostic::isError), c.diagnostics().toString());
    }

    @Test
    void anUndefinedNameIsAnErrorWithASuggestion() {
        assertError(compile("prior = diffusion(\"gauss\");\nsigma = 0.3;\ny = [1.2];\nobserve y ~ Normal([[1, 0.5]] @ x, sigmaa);\nsample x;\n"),
                Code.E0101, "'sigmaa' is not defined", "Did you mean 'sigma'?");
    }

    @Test
    void aNameUsedBeforeItsDefinitionSaysWhereItIsDefined() {
        assertError(compile("b = a + 1;\na = 1;\nprior = diffusion(\"gauss\");\nsample x;\n"), Code.E0101, "used before its definition at line 2");
    }

    @Test
    void definingANameTwiceIsAnErrorUnlessRedefinitionIsAllowed() {
        String text = "a = 1;\na = 2;\nprior = diffusion(\"gauss\");\nsample x with reverse(particles = a);\n";
        assertError(compile(text), Code.E0102, "'a' is already defined at line 1");
        CompileResult repl = TestPrograms.compiler().optAllowRedefinition(true).build().compile(new SourceFile("t.dfl", text));
        assertEquals(2, repl.plan().get().sampler().particles());
    }

    @Test
    void recursionAndCallingAValueAreErrors() {
        assertError(compile("G(z) = G(z);\nprior = diffusion(\"gauss\");\nsample x;\n"), Code.E0111, "cannot be recursive");
        assertError(compile("M = 2;\nprior = diffusion(\"gauss\");\ny = [1.0];\nobserve y ~ Normal(M(x), 1);\nsample x;\n"), Code.E0112, "not a function");
    }

    @Test
    void anUnusedBindingIsAWarningUnlessItsNameStartsWithUnderscore() {
        CompileResult r = assertCompiles("prior = diffusion(\"gauss\");\nunused = 3;\n_kept = 4;\nsample x;\n");
        assertEquals(1, r.warnings().size());
        assertEquals(Code.W0001, r.warnings().get(0).code());
    }

    @Test
    void theReplInfersTheLatentFromAnObservationsMeanAndLeavesAMisspeltNameAnError() {
        String text = "prior = diffusion(\"gauss\");\ny = [1.0];\nobserve y ~ Normal([[1, 0]] @ x, sigma);\n";
        CompileResult file = compile(text);
        assertEquals(Code.E0101, file.errors().get(0).code(), "a file must name its latent");
        CompileResult repl = TestPrograms.compiler().optRequireSample(false).optInferLatent(true).build().compile(new SourceFile("repl", text));
        assertEquals("x", repl.analysis().latent().get().name());
        assertEquals(1, repl.errors().size(), repl.diagnostics().toString());
        assertTrue(repl.errors().get(0).message().contains("'sigma' is not defined"));
    }
}
