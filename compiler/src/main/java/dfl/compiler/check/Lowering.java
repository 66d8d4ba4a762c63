package dfl.compiler.check;

import dfl.ast.Expr;
import dfl.ast.Program;
import dfl.compiler.Checked;
import dfl.compiler.builtin.BuiltinRegistry;
import dfl.compiler.builtin.EvalContext;
import dfl.compiler.value.Value;
import dfl.diag.Diagnostic;
import dfl.plan.SamplerPlan;
import dfl.plan.Shape;
import dfl.plan.TargetSpec;
import dfl.source.SourceFile;
import dfl.source.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The compiler's stages after parsing: {@link #check} resolves names, checks kinds, shapes and the program's structure
 * and returns the {@link Checked} analysis; {@link #lower} checks the sampler against the composition rules and builds
 * the {@link SamplerPlan}.
 */
public final class Lowering {

    private Lowering() {}

    /** What {@link #check} needs besides the program: built-ins, overrides and the front end's rules. */
    public record Options(BuiltinRegistry builtins, Map<String, Value> overrides, boolean requireSample, boolean allowRedefinition,
            boolean inferLatent) {

        public Options {
            overrides = Map.copyOf(overrides);
        }
    }

    /**
     * Resolves and checks a parsed program.
     *
     * @param earlier diagnostics of parsing (warnings), kept first
     */
    public static Checked check(SourceFile source, Program program, String modelName, Options options, List<Diagnostic> earlier) {
        List<Diagnostic> diagnostics = new ArrayList<>(earlier);
        Resolution resolution = new Resolver(options.builtins(), options.allowRedefinition(), options.inferLatent(), diagnostics)
                .resolve(program);
        return new Checker(program, resolution, options.overrides(), diagnostics).check(source, modelName, options.requireSample());
    }

    /** A lowered program: the plan (only when no error was reported, in checking or here) and the diagnostics lowering added. */
    public record Lowered(Optional<SamplerPlan> plan, List<Diagnostic> diagnostics) {

        public Lowered {
            diagnostics = List.copyOf(diagnostics);
        }
    }

    /** Chooses or checks the sampler for the checked program and builds the plan. */
    public static Lowered lower(Checked checked) {
        List<Diagnostic> diagnostics = new ArrayList<>();
        if (checked.composition().isEmpty() || checked.latent().isEmpty()) return new Lowered(Optional.empty(), diagnostics);
        Value.Dens prior = checked.composition().get();
        Checked.Latent latent = checked.latent().get();
        Shape shape = prior.shape();
        Span sampleSpan = checked.sample().map(s -> s.span()).orElseGet(() -> checked.program().map(p -> p.span().isKnown()
                ? Span.at(p.span().endLine(), p.span().endColumn()) : Span.NONE).orElse(Span.NONE));
        List<SamplerPlan.Likelihood> likelihoods = new ArrayList<>();
        for (Checked.Observation o : checked.observations()) {
            likelihoods.add(new SamplerPlan.Likelihood(o.data().expr(), o.dist().mean().expr(), o.dist().family(), o.statement().span()));
        }
        EvalContext analysis = new EvalContext() {
            @Override
            public Value eval(Expr e) {
                Value v = checked.values().get(e);
                return v == null ? new Value.Error() : v;
            }

            @Override
            public void report(Diagnostic d) {
                diagnostics.add(d);
            }
        };
        Optional<SamplerLowering.Choice> choice = new SamplerLowering(analysis).lower(checked.sample().flatMap(s -> s.sampler()),
                prior.density(), likelihoods, shape, sampleSpan);
        if (choice.isEmpty() || checked.hasErrors() || diagnostics.stream().anyMatch(Diagnostic::isError)) {
            return new Lowered(Optional.empty(), diagnostics);
        }
        Optional<String> out = checked.sample().flatMap(s -> s.into()).map(s -> s.value());
        return new Lowered(Optional.of(new SamplerPlan(checked.modelName(), new SamplerPlan.Latent(latent.name(), shape, latent.span()),
                prior.density(), TargetSpec.of(prior.density()), likelihoods, choice.get().spec(), choice.get().reason(), out)), diagnostics);
    }
}
