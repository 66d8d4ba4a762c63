package dfl.cli.repl;

import dfl.compiler.value.Value;
import dfl.plan.Density;
import dfl.plan.FactorRef;
import dfl.plan.ModelRef;
import dfl.plan.PlanPrinter;
import dfl.plan.TensorExpr;
import java.util.stream.Collectors;

/** How {@code :show} prints a compile-time value: its kind (and shape) and, where known, its value. */
final class ValueText {

    private ValueText() {}

    static String kind(Value v) {
        return v.describe();
    }

    /** The value, or what is known of it before the run; null when nothing more than the kind is known. */
    static String value(Value v) {
        if (v instanceof Value.Num n) return PlanPrinter.num(n.value());
        if (v instanceof Value.Str s) return "\"" + s.value() + "\"";
        if (v instanceof Value.Tensor t) {
            if (t.expr() instanceof TensorExpr.Load l) return "read from \"" + l.path() + "\" when the model runs";
            String text = PlanPrinter.tensor(t.expr());
            return t.dependsOnLatent() ? text + "  (depends on the latent)" : text;
        }
        if (v instanceof Value.Dens d) return density(d.density());
        if (v instanceof Value.Model m) return model(m.model());
        return null;
    }

    static String density(Density d) {
        if (d instanceof Density.Diffusion p) return "diffusion '" + p.name() + "' of " + model(p.model());
        if (d instanceof Density.Factor f) return "factor '" + f.name() + "': " + factor(f.factor());
        if (d instanceof Density.Product p) return p.terms().stream().map(ValueText::operand).collect(Collectors.joining(" * "));
        if (d instanceof Density.Power p) return operand(p.base()) + "^" + PlanPrinter.num(p.exponent());
        Density.Mixture m = (Density.Mixture) d;
        return "mix(" + m.components().stream().map(ValueText::density).collect(Collectors.joining(", ")) + ", weights = "
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
        ModelRef.TorchScript t = (ModelRef.TorchScript) m;
        return "torchscript(\"" + t.path() + "\") " + t.shape();
    }

    private static String factor(FactorRef f) {
        FactorRef.Classifier c = (FactorRef.Classifier) f;
        return "classifier(\"" + c.model() + "\", label = " + c.label() + ", temperature = " + PlanPrinter.num(c.temperature()) + ")";
    }
}
