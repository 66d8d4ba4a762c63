package dfl.stdlib.builtins;

import dfl.ast.Expr;
import dfl.compiler.builtin.Args;
import dfl.compiler.builtin.Builtin;
import dfl.compiler.builtin.Param;
import dfl.compiler.builtin.Signature;
import dfl.compiler.value.Value;
import dfl.diag.Code;
import dfl.diag.Diagnostic;
import dfl.diag.Suggest;
import dfl.plan.Density;
import dfl.plan.FactorRef;
import dfl.plan.ModelRef;
import dfl.plan.Schedule;
import dfl.plan.Shape;
import dfl.plan.TensorExpr;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Built-ins that make densities: diffusion priors, model descriptions, classifiers and mixtures. */
final class ModelBuiltins {

    private ModelBuiltins() {}

    static List<Builtin> all() {
        return List.of(
                new Fn("diffusion", Signature.of(Param.required("model", "\"mnist\", gmm(...) or torchscript(...)"),
                        Param.optional("schedule", "\"linear\" or \"cosine\""), Param.optional("steps", "training steps, default 1000"),
                        Param.optional("beta_start", "a positive number"), Param.optional("beta_end", "a positive number"),
                        Param.optional("parameterization", "\"eps\", \"score\" or \"energy\" (TorchScript models)")),
                        "A diffusion prior: a shipped model by name, an exact Gaussian mixture, or a TorchScript network.",
                        ModelBuiltins::diffusion),
                new Fn("gmm", Signature.of(Param.optional("weights", "a vector of k non-negative numbers"),
                        Param.required("means", "a [k, d] matrix"), Param.optional("std", "a number or a vector of k numbers"),
                        Param.optional("covs", "a [k, d, d] tensor of covariances")),
                        "A Gaussian mixture (exact score and energy at every noise level); wrap it in diffusion(...).",
                        GmmBuiltins::gmm),
                new Fn("ring", Signature.of(Param.required("n", "a whole number of points"), Param.required("radius", "a positive number")),
                        "The [n, 2] matrix of n points evenly spaced on a circle: means for a ring mixture.",
                        GmmBuiltins::ring),
                new Fn("torchscript", Signature.of(Param.required("path", "a .pt file"), Param.required("shape", "the sample shape, e.g. [1, 28, 28]")),
                        "A user TorchScript network (read when the model runs, never at compile time); wrap it in diffusion(...).",
                        ModelBuiltins::torchscript),
                new Fn("classifier", Signature.of(Param.required("model", "\"mnist\""), Param.required("label", "a class index"),
                        Param.optional("temperature", "a positive logit temperature, default 1")),
                        "A factor log p(label | x) from a shipped classifier; raise it to a power γ to strengthen it: classifier^γ.",
                        ModelBuiltins::classifier),
                new Fn("mix", Signature.variadic(Param.optional("weights", "a vector of non-negative numbers, one per component")),
                        "A mixture of densities with the given weights (default equal); needs every component's energy.",
                        ModelBuiltins::mix));
    }

    private static Value diffusion(Expr.Call call, Args args) {
        Optional<Value> model = args.value("model");
        if (model.isEmpty() || model.get() instanceof Value.Error) return new Value.Error();
        Schedule schedule = schedule(args);
        String param = args.string("parameterization").orElse("eps");
        if (!List.of("eps", "score", "energy").contains(param)) {
            args.invalid("parameterization", "'" + param + "' is not a parameterization.", "Use \"eps\", \"score\" or \"energy\".");
        }
        if (model.get() instanceof Value.Str s) {
            Optional<ShippedModels.Info> info = ShippedModels.lookup(s.value());
            if (info.isEmpty()) {
                String hint = Suggest.closest(s.value(), ShippedModels.all().keySet()).map(g -> "Did you mean \"" + g + "\"?")
                        .orElse("Shipped models: " + String.join(", ", ShippedModels.all().keySet()) + " (see dfl models).");
                args.error(Diagnostic.error(Code.E0305, args.span("model"), "there is no shipped model named \"" + s.value() + "\".", hint));
                return new Value.Error();
            }
            Schedule sched = args.has("schedule") || args.has("steps") || args.has("beta_start") || args.has("beta_end") ? schedule : info.get().schedule();
            return new Value.Dens(new Density.Diffusion(s.value(), new ModelRef.Builtin(s.value(), info.get().shape()), sched, call.span()),
                    info.get().shape());
        }
        if (model.get() instanceof Value.Model m && m.model() instanceof ModelRef.TorchScript t) {
            ModelRef.TorchScript ts = new ModelRef.TorchScript(t.path(), param, t.shape());
            return new Value.Dens(new Density.Diffusion("torchscript", ts, schedule, call.span()), m.shape());
        }
        if (model.get() instanceof Value.Model m) {
            return new Value.Dens(new Density.Diffusion("gmm", m.model(), schedule, call.span()), m.shape());
        }
        args.kindError("model", "a shipped model's name, gmm(...) or torchscript(...)", model.get());
        return new Value.Error();
    }

    private static Schedule schedule(Args args) {
        String kind = args.string("schedule").orElse("linear");
        if (!List.of("linear", "cosine").contains(kind)) {
            args.invalid("schedule", "'" + kind + "' is not a noise schedule.", "Use \"linear\" or \"cosine\".");
        }
        int steps = args.integer("steps", Schedule.DEFAULT.trainSteps(), 2);
        double b0 = args.positive("beta_start", Schedule.DEFAULT.betaStart());
        double b1 = args.positive("beta_end", Schedule.DEFAULT.betaEnd());
        if (b0 >= b1 || b1 >= 1) args.invalid("beta_end", "β must grow from beta_start to beta_end < 1; got " + Args.fmt(b0) + " → " + Args.fmt(b1) + ".");
        return new Schedule(kind, steps, b0, b1);
    }

    private static Value torchscript(Expr.Call call, Args args) {
        Optional<String> path = args.string("path");
        Optional<Value.Tensor> shape = args.tensor("shape");
        if (path.isEmpty() || shape.isEmpty()) return new Value.Error();
        Optional<Shape> s = shapeOf(shape.get(), args);
        if (s.isEmpty()) return new Value.Error();
        return new Value.Model(new ModelRef.TorchScript(path.get(), "eps", s.get()), s.get());
    }

    private static Optional<Shape> shapeOf(Value.Tensor t, Args args) {
        if (!(t.expr() instanceof TensorExpr.Const c) || t.shape().rank() != 1) {
            args.invalid("shape", "'shape' must be a vector of whole numbers, e.g. [1, 28, 28].");
            return Optional.empty();
        }
        List<Integer> dims = new ArrayList<>();
        for (double d : c.values()) {
            if (d != Math.rint(d) || d < 1) {
                args.invalid("shape", "'shape' must hold positive whole numbers, got " + Args.fmt(d) + ".");
                return Optional.empty();
            }
            dims.add((int) d);
        }
        return Optional.of(new Shape(dims));
    }

    private static Value classifier(Expr.Call call, Args args) {
        Optional<String> model = args.string("model");
        int label = args.integer("label", 0, 0);
        double temperature = args.positive("temperature", 1.0);
        if (model.isEmpty()) return new Value.Error();
        Optional<ShippedModels.Info> info = ShippedModels.lookup(model.get());
        if (info.isEmpty()) {
            args.error(Diagnostic.error(Code.E0305, args.span("model"), "there is no shipped classifier named \"" + model.get() + "\".",
                    "Shipped models: " + String.join(", ", ShippedModels.all().keySet()) + "."));
            return new Value.Error();
        }
        if (label >= info.get().classes()) {
            args.invalid("label", "label " + label + " is out of range: \"" + model.get() + "\" has classes 0 to " + (info.get().classes() - 1) + ".");
        }
        if (args.failed()) return new Value.Error();
        return new Value.Dens(new Density.Factor("classifier", new FactorRef.Classifier(model.get(), label, temperature), call.span()),
                info.get().shape());
    }

    private static Value mix(Expr.Call call, Args args) {
        List<Value> parts = args.extra();
        List<Density> comps = new ArrayList<>();
        Shape shape = null;
        for (int i = 0; i < parts.size(); i++) {
            Value v = parts.get(i);
            if (v instanceof Value.Error) return v;
            if (!(v instanceof Value.Dens d)) {
                args.error(Diagnostic.error(Code.E0107, args.extraSpans().get(i), "mix(...) combines densities, but this is " + v.describe() + "."));
                return new Value.Error();
            }
            if (shape != null && !shape.equals(d.shape())) {
                args.error(Diagnostic.error(Code.E0108, args.extraSpans().get(i),
                        "this density is over " + d.shape() + " but the first is over " + shape + "."));
                return new Value.Error();
            }
            shape = d.shape();
            comps.add(d.density());
        }
        if (comps.size() < 2) {
            args.error(Diagnostic.error(Code.E0104, call.span(), "mix(...) needs at least two densities.", "Write mix(p, q, weights = [0.3, 0.7])."));
            return new Value.Error();
        }
        List<Double> weights = GmmBuiltins.weights(args, comps.size());
        if (weights == null) return new Value.Error();
        return new Value.Dens(new Density.Mixture(comps, weights, call.span()), shape);
    }
}
