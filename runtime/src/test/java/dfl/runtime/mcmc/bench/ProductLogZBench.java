package dfl.runtime.mcmc.bench;

import ai.djl.ndarray.NDManager;
import dfl.plan.Density;
import dfl.plan.SamplerSpec;
import dfl.plan.Shape;
import dfl.runtime.exact.GmmAlgebra;
import dfl.runtime.gmm.GaussianMixture;
import dfl.runtime.mcmc.AnnealedSampler;
import dfl.runtime.mcmc.ComposedTarget;
import dfl.runtime.mcmc.Compositions;
import dfl.runtime.mcmc.LeapfrogPathKernel;
import dfl.runtime.mcmc.McmcKernel;
import dfl.runtime.mcmc.MhRatio;
import dfl.runtime.model.RuntimeProvider;
import dfl.runtime.run.RunOptions;
import dfl.runtime.run.StepListener;
import java.util.List;
import java.util.Locale;

/**
 * log Ẑ of examples/toy/product.dfl (ring(8, 1.0, std 0.05) × bar N(0, diag(0.02, 1)); HMC(3) + line-integral MH,
 * annealed SMC, 100 levels × 10 steps, target acceptance 0.9, as `dfl plan` shows) per seed, for the straight-segment
 * line integral (Simpson 5, the default, and trapezoid 5) and for the old leapfrog-path rule, against the exact
 * log Z at level 1. The same seeds give the same numbers as {@code dfl run examples/toy/product.dfl --seed N}.
 *
 * <pre>
 * java -cp ... dfl.runtime.mcmc.bench.ProductLogZBench [particles=1000] [seeds=3]
 * </pre>
 */
public final class ProductLogZBench {

    private ProductLogZBench() {}

    public static void main(String[] args) {
        int k = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int seeds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Density tree = Compositions.product(Compositions.diffusion("ring", Compositions.ring(8, 1.0, 0.05)),
                Compositions.diffusion("bar", new GaussianMixture(new double[] {1}, new double[][] {{0, 0}},
                        new double[][][] {{{0.02, 0}, {0, 1.0}}})));
        try (NDManager m = NDManager.newBaseManager();
                ComposedTarget t = ComposedTarget.of(tree, List.of(), Shape.of(2), 100, RuntimeProvider.NONE, m)) {
            System.out.printf(Locale.ROOT, "K = %d; exact log Z at level 1 %.4f (clean product %.4f)%n", k,
                    GmmAlgebra.exact(tree, t.alphaBar(1)).orElseThrow().logNormaliser(),
                    GmmAlgebra.exact(tree, 1.0).orElseThrow().logNormaliser());
            for (String rule : new String[] {"simpson", "trapezoid", "old leapfrog path"}) {
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-18s", rule));
                double sum = 0;
                for (long seed = 1; seed <= seeds; seed++) {
                    SamplerSpec.Mh mh = new SamplerSpec.Mh.LineIntegral(5, rule.startsWith("old") ? "trapezoid" : rule);
                    SamplerSpec.Annealed spec = new SamplerSpec.Annealed(k, 100, new SamplerSpec.Kernel.Hmc(3, 1, 0), 10,
                            new SamplerSpec.StepSize(1.0, 1.0, true), mh, true, 0.9);
                    McmcKernel kernel = rule.startsWith("old") ? new LeapfrogPathKernel(3, 1, 0)
                            : McmcKernel.of(spec.kernel(), MhRatio.of(mh));
                    double z = new AnnealedSampler(t, spec, kernel, RunOptions.seed(seed), StepListener.NONE).run().run().logEvidence();
                    sum += z;
                    line.append(String.format(Locale.ROOT, " seed %d: %.3f", seed, z));
                }
                System.out.println(line.append(String.format(Locale.ROOT, "; mean %.3f", sum / seeds)));
            }
        }
    }
}
