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
import dfl.plan.Condition;
import dfl.plan.Density;
import dfl.plan.FactorRef;
import dfl.plan.ModelRef;
import dfl.plan.Schedule;
import dfl.plan.Shape;
import dfl.plan.TensorExpr;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Built-ins that make densities: diffusion priors, model descriptions, classifiers, factors and mixtures. */
final class ModelBuiltins {

    private ModelBuiltins() {}

    static List<Builtin> all() {
        return List.of(
                new Fn("diffusion", Signature.of(Param.required("model", "\"mnist\", gmm(...) or torchscript(...)"),
                        Param.optional("schedule", "\"linear\" or \"cosine\""), Param.optional("steps", "training steps, default 1000"),
                        Param.optional("beta_start", "a positive number"), Param.optional("beta_end", "a positive number"),
                        Param.optional("parameterization", "\"eps\", \"score\" or \"energy\" (TorchScript models)"),
                        Param.optional("cond", "a class label, a vector, or null (conditional networks)")),
                        "A diffusion prior: a shipped model by name, an exact Gaussian mixture, or a TorchScript network; "
                                + "a conditional network given cond.",
                        ModelBuiltins::diffusion),
                new Fn("gmm", Signature.of(Param.optional("weights", "a vector of k non-negative numbers"),
                        Param.required("means", "a [k, d] matrix"), Param.optional("std", "a number or a vector of k numbers"),
                        Param.optional("covs", "a [k, d, d] tensor of covariances")),
                        "A Gaussian mixture (exact score and energy at every noise level); wrap it in diffusion(...).",
                        GmmBuiltins::gmm),
                new Fn("ring", Signature.of(Param.required("n", "a whole number of points"), Param.required("radius", "a positive number")),
                        "The [n, 2] matrix of n points evenly spaced on a circle: means for a ring mixture.",
                        GmmBuiltins::ring),
                new Fn("torchscript", Signature.of(Param.required("path", "a .pt file"),
                        Param.optional("shape", "the per-sample input shape, e.g. [1, 28, 28]"),
                        Param.optional("classes", "the number of class labels of a conditional network or classifier"),
                        Param.optional("out_shape", "an operator's per-sample output shape (default: its input's)")),
                        "A user TorchScript network, read when the model runs: in diffusion(...), factor(...) or classifier(...), "
                                + "or called as an operator, op(x).",
                        ModelBuiltins::torchscript),
                new Fn("classifier", Signature.of(Param.required("model", "\"mnist\" or torchscript(...) returning logits"),
                        Param.required("label", "a class index"),
                        Param.optional("temperature", "a positive logit temperature, default 1"),
                        Param.optional("noise_conditioned", "true if a TorchScript classifier takes (x_t, t)")),
                        "A factor log p(label | x) from a shipped or TorchScript classifier; raise it to a power γ to strengthen it: classifier^γ.",
                        ModelBuiltins::classifier),
                new Fn("factor", Signature.of(Param.required("model", "torchscript(...) returning log f(x), one number per sample"),
                        Param.optional("noise_conditioned", "true if the network takes (x_t, t)")),
                        "A factor f(x) given by a TorchScript network's log-density; compose it like a classifier: prior * f^γ.",
                        ModelBuiltins::factor),
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
            ModelRef ref = new ModelRef.Builtin(s.value(), info.get().shape());
            if (args.has("cond")) {
                Optional<ShippedModels.Info> cond = ShippedModels.conditional(s.value());
                if (cond.isEmpty()) {
                    args.error(Diagnostic.error(Code.E0305, args.span("cond"), "the shipped model \"" + s.value() + "\" has no conditional network.",
                            "A conditional TorchScript network takes cond: diffusion(torchscript(\"cond.pt\", shape = [...], classes = N), cond = k)."));
                    return new Value.Error();
                }
                ref = conditional(ref, cond.get().classes(), args);
                if (ref instanceof ModelRef.Conditional c && c.condition() instanceof Condition.Vector) {
                    args.invalid("cond", "the shipped \"" + s.value() + "\" network takes a class label or null, not a vector.",
                            "Write cond = k with k from 0 to " + (cond.get().classes() - 1) + ", or cond = null.");
                    return new Value.Error();
                }
            }
            if (ref == null) return new Value.Error();
            return new Value.Dens(new Density.Diffusion(s.value(), ref, sched, call.span()), info.get().shape());
        }
        if (model.get() instanceof Value.Network n) {
            Optional<Shape> shape = declaredShape(n, args, "diffusion");
            if (shape.isEmpty()) return new Value.Error();
            ModelRef ref = new ModelRef.TorchScript(n.path(), param, shape.get());
            if (args.has("cond")) ref = conditional(ref, n.classes(), args);
            if (ref == null) return new Value.Error();
            return new Value.Dens(new Density.Diffusion("torchscript", ref, schedule, call.span()), shape.get());
        }
        if (model.get() instanceof Value.Model m) {
            if (args.has("cond")) {
                args.invalid("cond", "a gmm(...) prior has no condition.", "Only conditional networks take cond: diffusion(torchscript(...), cond = k).");
                return new Value.Error();
            }
            return new Value.Dens(new Density.Diffusion("gmm", m.model(), schedule, call.span()), m.shape());
        }
        args.kindError("model", "a shipped model's name, gmm(...) or torchscript(...)", model.get());
        return new Value.Error();
    }

    /**
     * {@code network} given the {@code cond} argument: a label 0..classes−1, a constant vector, or null (the null label
     * {@code classes}); null after reporting what is wrong.
     */
    private static ModelRef conditional(ModelRef network, int classes, Args args) {
        Value v = args.value("cond").orElseThrow();
        if (v instanceof Value.Error) return null;
        String declare = "Declare the network's number of classes: torchscript(\"...\", shape = [...], classes = N).";
        Condition condition;
        if (v instanceof Value.Num) {
            int label = args.integer("cond", -1, 0);
            if (label < 0) return null;
            if (classes == 0) {
                args.invalid("cond", "a label condition needs the network's number of classes.", declare);
                return null;
            }
            if (label >= classes) {
                args.invalid("cond", "label " + label + " is out of range: the network has classes 0 to " + (classes - 1) + ".",
                        "Its null condition (label " + classes + ") is written cond = null.");
                return null;
            }
            condition = new Condition.Label(label);
        } else if (v instanceof Value.Option o && o.option().equals("null")) {
            if (classes == 0) {
                args.invalid("cond", "the null condition is passed to the network as the label 'classes', which is not declared.", declare,
                        "A vector-conditioned network gets the vector it was trained with for a dropped condition: write it, e.g. cond = [0, 0].");
                return null;
            }
            condition = new Condition.Null();
        } else if (v instanceof Value.Tensor t) {
            if (!(t.expr() instanceof TensorExpr.Const c) || t.shape().rank() != 1) {
                args.invalid("cond", "a vector condition must be a vector known at compile time, e.g. cond = [0.5, -1.0].");
                return null;
            }
            if (classes > 0) {
                args.invalid("cond", "this network is declared with classes = " + classes + ", so its condition is a label or null, not a vector.");
                return null;
            }
            condition = new Condition.Vector(c.values());
        } else {
            args.kindError("cond", "a class label, a vector or null", v);
            return null;
        }
        return new ModelRef.Conditional(network, condition, classes);
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
        Shape shape = args.has("shape") ? shapeOf("shape", args).orElse(null) : null;
        Shape out = args.has("out_shape") ? shapeOf("out_shape", args).orElse(null) : null;
        int classes = args.integer("classes", 0, 1);
        if (path.isEmpty() || args.failed()) return new Value.Error();
        return new Value.Network(path.get(), shape, out, classes);
    }

    /** The shape argument {@code name}: a constant vector of positive whole numbers. */
    private static Optional<Shape> shapeOf(String name, Args args) {
        Optional<Value.Tensor> t = args.tensor(name);
        if (t.isEmpty()) return Optional.empty();
        if (!(t.get().expr() instanceof TensorExpr.Const c) || t.get().shape().rank() != 1) {
            args.invalid(name, "'" + name + "' must be a vector of whole numbers, e.g. [1, 28, 28].");
            return Optional.empty();
        }
        List<Integer> dims = new ArrayList<>();
        for (double d : c.values()) {
            if (d != Math.rint(d) || d < 1) {
                args.invalid(name, "'" + name + "' must hold positive whole numbers, got " + Args.fmt(d) + ".");
                return Optional.empty();
            }
            dims.add((int) d);
        }
        return Optional.of(new Shape(dims));
    }

    /** The declared input shape of a network used as {@code use}(...), which needs it: it is the latent's shape. */
    private static Optional<Shape> declaredShape(Value.Network n, Args args, String use) {
        if (n.shape() == null) {
            args.invalid("model", use + "(...) needs the network's per-sample shape, which is the latent's.",
                    "Declare it: torchscript(\"" + n.path() + "\", shape = [...]).");
        }
        return Optional.ofNullable(n.shape());
    }

    private static Value classifier(Expr.Call call, Args args) {
        Optional<Value> model = args.value("model");
        int label = args.integer("label", 0, 0);
        double temperature = args.positive("temperature", 1.0);
        boolean noisy = args.bool("noise_conditioned", false);
        if (model.isEmpty() || model.get() instanceof Value.Error) return new Value.Error();
        if (model.get() instanceof Value.Network n) {
            Optional<Shape> shape = declaredShape(n, args, "classifier");
            if (n.classes() > 0 && label >= n.classes()) {
                args.invalid("label", "label " + label + " is out of range: the classifier has classes 0 to " + (n.classes() - 1) + ".");
            }
            if (shape.isEmpty() || args.failed()) return new Value.Error();
            FactorRef ref = new FactorRef.TorchScriptClassifier(n.path(), shape.get(), label, temperature, n.classes(), noisy);
            return new Value.Dens(new Density.Factor("classifier", ref, call.span()), shape.get());
        }
        if (!(model.get() instanceof Value.Str name)) {
            args.kindError("model", "a shipped classifier's name or torchscript(...)", model.get());
            return new Value.Error();
        }
        Optional<ShippedModels.Info> info = ShippedModels.lookup(name.value());
        if (info.isEmpty()) {
            args.error(Diagnostic.error(Code.E0305, args.span("model"), "there is no shipped classifier named \"" + name.value() + "\".",
                    "Shipped models: " + String.join(", ", ShippedModels.all().keySet()) + "."));
            return new Value.Error();
        }
        if (label >= info.get().classes()) {
            args.invalid("label", "label " + label + " is out of range: \"" + name.value() + "\" has classes 0 to " + (info.get().classes() - 1) + ".");
        }
        if (noisy) {
            args.invalid("noise_conditioned", "the shipped classifier \"" + name.value() + "\" takes clean images, not (x_t, t).",
                    "Leave noise_conditioned out; noise-conditioned classifiers are TorchScript networks: classifier(torchscript(...), ...).");
        }
        if (args.failed()) return new Value.Error();
        return new Value.Dens(new Density.Factor("classifier", new FactorRef.Classifier(name.value(), label, temperature), call.span()),
                info.get().shape());
    }

    private static Value factor(Expr.Call call, Args args) {
        Optional<Value> model = args.value("model");
        boolean noisy = args.bool("noise_conditioned", false);
        if (model.isEmpty() || model.get() instanceof Value.Error) return new Value.Error();
        if (!(model.get() instanceof Value.Network n)) {
            args.kindError("model", "torchscript(...), a network returning log f(x)", model.get());
            return new Value.Error();
        }
        Optional<Shape> shape = declaredShape(n, args, "factor");
        if (shape.isEmpty() || args.failed()) return new Value.Error();
        return new Value.Dens(new Density.Factor("factor", new FactorRef.TorchScript(n.path(), shape.get(), noisy), call.span()), shape.get());
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
