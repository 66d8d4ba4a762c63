package dfl.runtime.bench;

import dfl.plan.Density;
import dfl.plan.SamplerPlan;
import dfl.plan.SamplerSpec;
import dfl.plan.Schedule;
import dfl.plan.Shape;
import dfl.runtime.TestPlans;
import dfl.runtime.model.RuntimeProvider;
import dfl.runtime.run.RunOptions;
import dfl.runtime.run.RunResult;
import dfl.runtime.sampler.Sampling;
import dfl.source.Span;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Memory soak: one TDS run of 10,000 steps (a 10,000-step training schedule, so no respacing) on posterior2d,
 * printing the process's resident set size every 1,000 steps. Flat RSS after warm-up means every per-step
 * native array is freed. Usage: {@code SoakBench [steps] [particles]}.
 */
public final class SoakBench {

    public static void main(String[] args) throws Exception {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int k = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        Schedule schedule = new Schedule("linear", steps, 1e-4 * 1000 / steps, 0.02 * 1000 / steps);
        Density prior = new Density.Diffusion("prior", TestPlans.gmm(TestPlans.posterior2dPrior()), schedule, Span.NONE);
        SamplerPlan plan = new SamplerPlan("soak", new SamplerPlan.Latent("x", Shape.of(2), Span.NONE), prior,
                dfl.plan.TargetSpec.of(prior),
                List.of(TestPlans.linear(TestPlans.POSTERIOR2D_A, TestPlans.POSTERIOR2D_Y, TestPlans.POSTERIOR2D_SIGMA)),
                new SamplerSpec.Tds(k, steps, SamplerSpec.Resampling.SYSTEMATIC, 0.5, SamplerSpec.TwistVariance.REFERENCE, false),
                "soak", Optional.empty());
        long start = System.nanoTime();
        RunResult r = Sampling.run(plan, RunOptions.seed(1), RuntimeProvider.NONE, (done, total, s) -> {
            if (done == 1 || done % 1000 == 0) {
                System.out.printf("step %5d/%d  RSS %6.1f MiB  heap used %5.1f MiB  %.1f s%n", done, total, rssMiB(),
                        (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) / 1048576.0,
                        (System.nanoTime() - start) * 1e-9);
            }
        });
        System.out.printf("done: %d steps, K = %d, %.1f s, log-evidence %.4f%n", steps, k, r.seconds(), r.logEvidence());
    }

    static double rssMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D+", "")) / 1024.0;
            }
        } catch (Exception e) {
            return Double.NaN;
        }
        return Double.NaN;
    }
}
