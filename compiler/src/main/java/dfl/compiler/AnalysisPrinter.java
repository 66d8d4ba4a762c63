package dfl.compiler;

import dfl.compiler.value.Value;
import dfl.plan.Condition;
import dfl.plan.Density;
import dfl.plan.FactorRef;
import dfl.plan.ModelRef;
import dfl.plan.PlanPrinter;
import dfl.plan.Shape;
import dfl.plan.TensorExpr;
import java.util.stream.Collectors;

/**
 * Prints the {@link Checked} analysis as {@code dfl check --dump values} shows it, and one value as the REPL's
 * {@code :show} shows it: kind (and shape) and, where known before the run, the value.
 */
public final class AnalysisPrinter {

    private AnalysisPrinter() {}

    /** The whole analysis: bindings in program order, the latent, the composition, the observations. */
    public static String print(Checked c) {
        StringBuilder sb = new StringBuilder();
        sb.append("analysis ").append(c.modelName()).append('\n');
        sb.append("  bindings:\n");
        for (Checked.Binding b : c.bindings()) {
            sb.append("    ").append(b.name()).append(": ").append(b.kind()).append('\n');
            String v = value(b.value());
            if (v != null) sb.append("      value: ").append(v).append('\n');
        }
        sb.append("  latent: ").append(c.latent().map(l -> l.name() + l.shape().map(s -> " " + s).orElse(" (shape unknown)")
                + (l.span().isKnown() ? ", line " + l.span().startLine() : ", inferred")).orElse("none")).append('\n');
        sb.append("  composition: ").append(c.prior().map(AnalysisPrinter::density).orElse("none")).append('\n');
        sb.append("  observations:");
        if (c.observations().isEmpty()) sb.append(" none");
        sb.append('\n');
        for (Checked.Observation o : c.observations()) {
            sb.append("    line ").append(o.statement().span().startLine()).append(": ").append(PlanPrinter.tensor(o.data().expr()))
                    .append(" ~ ").append(o.dist().family().describe(PlanPrinter.tensor(o.dist().mean().expr()))).append('\n');
        }
        sb.append("  sample: ").append(c.sample().map(s -> "line " + s.span().startLine()).orElse("none")).append('\n');
        return sb.toString();
    }

    /** The kind as users read it in messages: "a number", "a tensor [28, 28]", "a density over [2]". */
    public static String kind(Value v) {
        return v.describe();
    }

    /** The value, or what is known of it before the run; null when nothing more than the kind is known. */
    public static String value(Value v) {
        if (v instanceof Value.Num n) return PlanPrinter.num(n.value());
        if (v instanceof Value.Str s) return "\"" + s.value() + "\"";
        if (v instanceof Value.Tensor t) {
            if (t.expr() instanceof TensorExpr.Load l) return "read from \"" + l.path() + "\" when the model runs";
            if (t.expr() instanceof TensorExpr.Latent) return "the latent, sampled by the run";
            String text = PlanPrinter.tensor(t.expr());
            return t.dependsOnLatent() ? text + "  (depends on the latent)" : text;
        }
        if (v instanceof Value.Dens d) return density(d.density());
        if (v instanceof Value.Model m) return model(m.model());
        if (v instanceof Value.Network n) {
            return "torchscript(\"" + n.path() + "\")" + (n.shape() == null ? "" : " " + n.shape())
                    + (n.outShape() == null ? "" : " -> " + n.outShape()) + ", read when the model runs";
        }
        return null;
    }

    /** The value of the latent named {@code name} with shape {@code shape}, as {@code :show} prints it. */
    public static Value latent(Shape shape) {
        return new Value.Tensor(shape, new TensorExpr.Latent(shape), true);
    }

    static String density(Density d) {
        if (d instanceof Density.Diffusion p) return "diffusion '" + p.name() + "' of " + model(p.model());
        if (d instanceof Density.Factor f) return "factor '" + f.name() + "': " + factor(f.factor());
        if (d instanceof Density.Product p) return p.terms().stream().map(AnalysisPrinter::operand).collect(Collectors.joining(" * "));
        if (d instanceof Density.Power p) return operand(p.base()) + "^" + PlanPrinter.num(p.exponent());
        Density.Mixture m = (Density.Mixture) d;
        return "mix(" + m.components().stream().map(AnalysisPrinter::density).collect(Collectors.joining(", ")) + ", weights = "
                + m.weights().stream().map(PlanPrinter::num).collect(Collectors.joining(", ", "[", "]")) + ")";
    }

    private static String operand(Density d) {
        if (d instanceof Density.Diffusion p) return p.name();
        if (d instanceof Density.Factor f) return f.name();
        return "(" + density(d) + ")";
    }

    private static String model(ModelRef m) {
        if (m instanceof ModelRef.Gmm g) {
            int k = g.means().size();
            return "gmm (" + k + " component" + (k == 1 ? "" : "s") + " in " + g.means().get(0).size() + " dimensions)";
        }
        if (m instanceof ModelRef.Builtin b) return "the shipped model \"" + b.name() + "\" " + b.shape();
        if (m instanceof ModelRef.Conditional c) return model(c.network()) + " given " + condition(c.condition());
        ModelRef.TorchScript t = (ModelRef.TorchScript) m;
        return "torchscript(\"" + t.path() + "\") " + t.shape();
    }

    private static String condition(Condition c) {
        if (c instanceof Condition.Label l) return "cond = " + l.index();
        if (c instanceof Condition.Vector v) return "cond = " + v.values().stream().map(PlanPrinter::num).collect(Collectors.joining(", ", "[", "]"));
        return "cond = null";
    }

    private static String factor(FactorRef f) {
        String noisy = f.noiseConditioned() ? ", noise_conditioned = true" : "";
        if (f instanceof FactorRef.TorchScript t) return "factor(torchscript(\"" + t.path() + "\") " + t.shape() + noisy + ")";
        if (f instanceof FactorRef.TorchScriptClassifier c) {
            return "classifier(torchscript(\"" + c.path() + "\") " + c.shape() + ", label = " + c.label() + ", temperature = "
                    + PlanPrinter.num(c.temperature()) + noisy + ")";
        }
        FactorRef.Classifier c = (FactorRef.Classifier) f;
        return "classifier(\"" + c.model() + "\", label = " + c.label() + ", temperature = " + PlanPrinter.num(c.temperature()) + ")";
    }
}
