package dfl.runtime.mcmc.bench;

import ai.djl.ndarray.NDManager;
import dfl.plan.Density;
import dfl.plan.SamplerSpec;
import dfl.plan.SamplerSpec.Kernel;
import dfl.plan.SamplerSpec.Mh;
import dfl.plan.Shape;
import dfl.runtime.exact.GmmAlgebra;
import dfl.runtime.gmm.GaussianMixture;
import dfl.runtime.mcmc.AnnealedResult;
import dfl.runtime.mcmc.AnnealedSampler;
import dfl.runtime.mcmc.ComposedReverse;
import dfl.runtime.mcmc.ComposedTarget;
import dfl.runtime.mcmc.Compositions;
import dfl.runtime.mcmc.LeapfrogPathKernel;
import dfl.runtime.mcmc.McmcKernel;
import dfl.runtime.model.RuntimeProvider;
import dfl.runtime.run.RunOptions;
import dfl.runtime.run.StepListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * The composition table of docs/composition.md: for the 2-D ring × bar product and an 8-D product, each sampler's
 * mean log-likelihood under the exact product, the exact W2 distance (Hungarian assignment) to as many exact
 * product samples, and the errors of mean and covariance, plus an independent exact sample as the noise floor.
 *
 * <pre>
 * java -cp ... dfl.runtime.mcmc.bench.CompositionBench [particles=1000] [levels=100] [stepsPerLevel=10] [seed=1]
 * </pre>
 */
public final class CompositionBench {

    private CompositionBench() {}

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int levels = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int perLevel = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        long seed = args.length > 3 ? Long.parseLong(args[3]) : 1;
        System.out.printf(Locale.ROOT, "particles %d, levels %d, steps per level %d, seed %d, step size η = β_t adapted to 0.65%n",
                n, levels, perLevel, seed);
        table("2-D ring(8, r=0.5, std 0.03) × bar N(0, diag(0.01, 1))", Compositions.ringTimesBar(), 2, n, levels, perLevel, seed);
        table("8-D product (6-component × 2-component mixture)", Compositions.product8d(), 8, n, levels, perLevel, seed);
    }

    record Row(String name, AnnealedResult result) {}

    static void table(String title, Density tree, int d, int n, int levels, int perLevel, long seed) {
        GmmAlgebra.Normalised exact = GmmAlgebra.exact(tree, 1.0).orElseThrow();
        GaussianMixture g = exact.mixture();
        System.out.printf(Locale.ROOT, "exact log Z of the clean product %.4f%n", exact.logNormaliser());
        ToDoubleFunction<double[]> logp = g.logDensityFunction();
        double[][] ref = GmmAlgebra.sample(g, n, new SplittableRandom(seed + 1000));
        double[][] floor = GmmAlgebra.sample(g, n, new SplittableRandom(seed + 2000));
        List<Row> rows = new ArrayList<>();
        try (NDManager m = NDManager.newBaseManager();
                ComposedTarget t = ComposedTarget.of(tree, List.of(), Shape.of(d), levels, RuntimeProvider.NONE, m)) {
            RunOptions o = RunOptions.seed(seed);
            System.out.printf(Locale.ROOT, "exact log Z at level 1 (ᾱ = %.6f), what annealed SMC estimates: %.4f%n", t.alphaBar(1),
                    GmmAlgebra.exact(tree, t.alphaBar(1)).orElseThrow().logNormaliser());
            rows.add(new Row("reverse diffusion, summed scores", ComposedReverse.run(t, n, o, StepListener.NONE)));
            rows.add(new Row("ULA", run(t, n, levels, new Kernel.Ula(), perLevel, new Mh.None(), o)));
            rows.add(new Row("U-HMC (leapfrog 1, damping 0.9)", run(t, n, levels, new Kernel.Uhmc(1, 1, 0.9), perLevel, new Mh.None(), o)));
            rows.add(new Row("MALA, energy MH", run(t, n, levels, new Kernel.Mala(), perLevel, new Mh.Energy(), o)));
            rows.add(new Row("MALA, line-integral MH (trapezoid 5)", run(t, n, levels, new Kernel.Mala(), perLevel,
                    new Mh.LineIntegral(5, "trapezoid"), o)));
            rows.add(new Row("MALA, line-integral MH (Simpson 5)", run(t, n, levels, new Kernel.Mala(), perLevel,
                    new Mh.LineIntegral(5, "simpson"), o)));
            rows.add(new Row("HMC (leapfrog 3), energy MH", run(t, n, levels, new Kernel.Hmc(3, 1, 0), perLevel, new Mh.Energy(), o)));
            rows.add(new Row("HMC (leapfrog 3), energy MH, SMC reweighting", smc(t, n, levels, new Kernel.Hmc(3, 1, 0), perLevel,
                    new Mh.Energy(), o)));
            Mh simpson = new Mh.LineIntegral(5, "simpson");
            rows.add(new Row("HMC (leapfrog 3), line-integral MH (Simpson 5, straight to the end)", run(t, n, levels,
                    new Kernel.Hmc(3, 1, 0), perLevel, simpson, o)));
            rows.add(new Row("HMC (leapfrog 3), line-integral MH (Simpson 5, straight to the end), SMC reweighting", smc(t, n, levels,
                    new Kernel.Hmc(3, 1, 0), perLevel, simpson, o)));
            // the negative control: the old rule, trapezoids between successive leapfrog positions (no valid correction)
            rows.add(new Row("HMC (leapfrog 3), old leapfrog-path trapezoids", run(t, Compositions.annealed(n, levels,
                    new Kernel.Hmc(3, 1, 0), perLevel, simpson, false), new LeapfrogPathKernel(3, 1, 0), o)));
            rows.add(new Row("HMC (leapfrog 3), old leapfrog-path trapezoids, SMC reweighting", resampled(run(t, Compositions.annealed(n,
                    levels, new Kernel.Hmc(3, 1, 0), perLevel, simpson, true), new LeapfrogPathKernel(3, 1, 0), o), o)));
        }
        for (Row r : rows) {
            if (!Double.isNaN(r.result().run().logEvidence())) {
                System.out.printf(Locale.ROOT, "SMC log Z estimate %.4f: %s%n", r.result().run().logEvidence(), r.name());
            }
        }
        System.out.println();
        System.out.println("### " + title);
        System.out.println();
        System.out.println("| sampler | mean log p (exact: " + fmt(meanLogp(ref, logp)) + ") | W2 | mean error | cov error (Frobenius) "
                + "| mean acceptance | batched evaluations | seconds |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        System.out.printf(Locale.ROOT, "| exact samples (independent set: noise floor) | %s | %s | %s | %s | – | – | – |%n",
                fmt(meanLogp(floor, logp)), fmt(Wasserstein.w2(floor, ref)), fmt(meanError(floor, g)), fmt(covError(floor, g)));
        for (Row r : rows) {
            double[][] s = toDouble(r.result().run().samples());
            double acc = java.util.Arrays.stream(r.result().acceptance()).average().orElse(Double.NaN);
            System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %d | %.1f |%n", r.name(), fmt(meanLogp(s, logp)),
                    fmt(Wasserstein.w2(s, ref)), fmt(meanError(s, g)), fmt(covError(s, g)), fmt(acc),
                    r.result().run().networkCalls(), r.result().run().seconds());
        }
    }

    static AnnealedResult run(ComposedTarget t, int n, int levels, Kernel kernel, int perLevel, Mh mh, RunOptions o) {
        SamplerSpec.Annealed spec = Compositions.annealed(n, levels, kernel, perLevel, mh, false);
        return new AnnealedSampler(t, spec, o, StepListener.NONE).run();
    }

    static AnnealedResult run(ComposedTarget t, SamplerSpec.Annealed spec, McmcKernel kernel, RunOptions o) {
        return new AnnealedSampler(t, spec, kernel, o, StepListener.NONE).run();
    }

    static AnnealedResult smc(ComposedTarget t, int n, int levels, Kernel kernel, int perLevel, Mh mh, RunOptions o) {
        SamplerSpec.Annealed spec = Compositions.annealed(n, levels, kernel, perLevel, mh, true);
        return resampled(new AnnealedSampler(t, spec, o, StepListener.NONE).run(), o);
    }

    static AnnealedResult resampled(AnnealedResult r, RunOptions o) {
        int n = r.run().samples().length;
        // weighted particles: the table compares equally weighted points, so resample once (systematic)
        int[] anc = dfl.runtime.smc.Resampler.resample(SamplerSpec.Resampling.SYSTEMATIC, r.run().weights(),
                new SplittableRandom(o.seed() + 7));
        float[][] s = new float[n][];
        for (int i = 0; i < n; i++) s[i] = r.run().samples()[anc[i]];
        return new AnnealedResult(new dfl.runtime.run.RunResult(r.run().sampler(), r.run().seed(), r.run().steps(),
                r.run().shape(), s, r.run().logWeights(), r.run().logEvidence(), r.run().stats(), r.run().seconds(),
                r.run().networkCalls(), r.run().networkSeconds()), r.levels());
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    static double[][] toDouble(float[][] f) {
        double[][] out = new double[f.length][];
        for (int i = 0; i < f.length; i++) {
            out[i] = new double[f[i].length];
            for (int j = 0; j < f[i].length; j++) out[i][j] = f[i][j];
        }
        return out;
    }

    static double meanLogp(double[][] s, ToDoubleFunction<double[]> logp) {
        double t = 0;
        for (double[] x : s) t += logp.applyAsDouble(x);
        return t / s.length;
    }

    static double meanError(double[][] s, GaussianMixture g) {
        double[] m = g.mean();
        double e = 0;
        for (int i = 0; i < m.length; i++) {
            double a = 0;
            for (double[] x : s) a += x[i];
            e += Math.pow(a / s.length - m[i], 2);
        }
        return Math.sqrt(e);
    }

    static double covError(double[][] s, GaussianMixture g) {
        int d = g.dimension();
        double[] m = new double[d];
        for (double[] x : s) for (int i = 0; i < d; i++) m[i] += x[i] / s.length;
        double[][] c = g.covariance();
        double e = 0;
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double a = 0;
                for (double[] x : s) a += (x[i] - m[i]) * (x[j] - m[j]);
                e += Math.pow(a / s.length - c[i][j], 2);
            }
        }
        return Math.sqrt(e);
    }
}
