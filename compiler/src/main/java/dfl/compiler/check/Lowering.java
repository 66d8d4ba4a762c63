package dfl.compiler.check;

import dfl.ast.Program;
import dfl.ast.Stmt;
import dfl.compiler.builtin.BuiltinRegistry;
import dfl.compiler.value.Value;
import dfl.diag.Code;
import dfl.diag.Diagnostic;
import dfl.plan.Density;
import dfl.plan.SamplerPlan;
import dfl.plan.Shape;
import dfl.source.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The compiler's stages after parsing: resolve names, check kinds and shapes, check the
 * composition rules, and lower to a {@link SamplerPlan}. Every stage reports into one list.
 */
public final class Lowering {

    private Lowering() {}

    /**
     * Compiles a parsed program. The plan is present only when no error was reported.
     *
     * @param requireSample whether a missing {@code sample} statement is an error (files), or the
     *                      default sampler is planned for the latent (the REPL's {@code :plan})
     */
    public static Optional<SamplerPlan> lower(Program program, String modelName, BuiltinRegistry builtins,
            Map<String, Value> overrides, boolean requireSample, boolean allowRedefinition, boolean inferLatent, List<Diagnostic> diagnostics) {
        Resolution resolution = new Resolver(builtins, allowRedefinition, inferLatent, diagnostics).resolve(program);
        Checker checker = new Checker(program, resolution, overrides, diagnostics);
        checker.check();
        Span end = program.span().isKnown() ? Span.at(program.span().endLine(), program.span().endColumn()) : Span.NONE;

        if (checker.latentName() == null) {
            diagnostics.add(Diagnostic.error(Code.E0203, end, "the program names no latent variable to sample.",
                    "End it with a sample statement, e.g. sample x with tds(particles = 16);"));
            return Optional.empty();
        }
        if (checker.sample == null && requireSample) {
            diagnostics.add(Diagnostic.error(Code.E0201, end, "the program has no sample statement, so nothing would run.",
                    "End it with: sample " + checker.latentName() + ";"));
        }
        long samples = program.statements().stream().filter(s -> s instanceof Stmt.Sample).count();
        if (samples > 1) {
            program.statements().stream().filter(s -> s instanceof Stmt.Sample).skip(1).findFirst().ifPresent(s ->
                    diagnostics.add(Diagnostic.error(Code.E0202, s.span(), "a program runs one sample statement; this is the second.",
                            "Keep one; to compare samplers, run the file with different settings.")));
        }
        Value.Dens prior = checker.composed != null ? checker.composed : checker.latentPrior;
        if (prior == null && checker.compose == null && checker.latentDecl == null) {
            Optional<Stmt.Binding> implicit = checker.implicitPrior();
            if (implicit.isPresent() && checker.bindingValue(implicit.get()) instanceof Value.Dens d) {
                prior = d;
                // the implicit prior is used by the program even though no statement names it
                diagnostics.removeIf(x -> x.code() == Code.W0001 && x.span().equals(implicit.get().name().span()));
            } else if (implicit.isEmpty()) {
                Span at = checker.sample != null ? checker.sample.span() : end;
                List<String> several = checker.diffusionBindings();
                String hint = several.size() > 1
                        ? "Several diffusion priors are bound (" + String.join(", ", several) + "): say which with "
                                + checker.latentName() + " ~ " + several.get(0) + "; or compose them."
                        : "Declare one: " + checker.latentName() + " ~ diffusion(\"mnist\"); or compose prior * classifier^γ;";
                diagnostics.add(Diagnostic.error(Code.E0215, at, "'" + checker.latentName() + "' has no prior.", hint));
            }
        }
        if (checker.composed != null && checker.latentPrior != null && !contains(checker.composed.density(), checker.latentPrior.density())) {
            diagnostics.add(Diagnostic.error(Code.E0214, checker.compose.span(),
                    "the prior is given twice: by '" + checker.latentName() + " ~ ...' at line " + checker.latentDecl.span().startLine()
                            + " and by this compose, which does not include it.",
                    "Keep one of them, or include the declared prior in the composition."));
        }
        if (prior == null) return Optional.empty();

        Shape shape = prior.shape();
        Span latentSpan = checker.latentDecl != null ? checker.latentDecl.name().span()
                : checker.sample != null ? checker.sample.latent().span() : Span.NONE;
        Span sampleSpan = checker.sample != null ? checker.sample.span() : end;
        List<SamplerPlan.Likelihood> likelihoods = new ArrayList<>();
        for (Checker.Observation o : checker.observations) {
            likelihoods.add(new SamplerPlan.Likelihood(o.data().expr(), o.dist().mean().expr(), o.dist().sigma(), o.stmt().span()));
        }
        Optional<SamplerLowering.Choice> choice = new SamplerLowering(checker).lower(
                checker.sample == null ? Optional.empty() : checker.sample.sampler(),
                prior.density(), likelihoods, shape, sampleSpan);
        if (choice.isEmpty() || diagnostics.stream().anyMatch(Diagnostic::isError)) return Optional.empty();

        Optional<String> out = checker.sample == null ? Optional.empty() : checker.sample.into().map(s -> s.value());
        return Optional.of(new SamplerPlan(modelName, new SamplerPlan.Latent(checker.latentName(), shape, latentSpan),
                prior.density(), likelihoods, choice.get().spec(), choice.get().reason(), out));
    }

    private static boolean contains(Density tree, Density term) {
        if (tree == term) return true;
        if (tree instanceof Density.Product p) return p.terms().stream().anyMatch(t -> contains(t, term));
        if (tree instanceof Density.Power p) return contains(p.base(), term);
        if (tree instanceof Density.Mixture m) return m.components().stream().anyMatch(c -> contains(c, term));
        return tree.equals(term);
    }
}
