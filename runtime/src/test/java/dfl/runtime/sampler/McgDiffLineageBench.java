package dfl.runtime.sampler;

import ai.djl.ndarray.NDManager;
import dfl.plan.SamplerSpec;
import dfl.runtime.model.RuntimeProvider;
import dfl.runtime.run.RunOptions;
import dfl.runtime.run.RunResult;
import dfl.runtime.run.StepListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where {@code mcgdiff}'s error comes from, run by run: the mean and variance errors (in posterior s.d.) split into the
 * observed SVD coordinates and the free directions orthogonal to them, log Ẑ − log p(y), the number of resampling events,
 * the ESS after the last step, the distinct ancestors the final particles have at earlier steps (lineage coalescence),
 * the ESS after reweighting every tenth step (* where it resampled) and log Ẑ's increments summed over blocks of 20 steps.
 *
 * <p>Usage: {@code McgDiffLineageBench K T ESS CASE RUNS CASE_SEED SLOPES} with SLOPES {@code pilot} or {@code tweedie}
 * (run seeds 1..RUNS; docs/samplers.md, "mcgdiff").
 */
public final class McgDiffLineageBench {
    public static void main(String[] args) {
        int k = Integer.parseInt(args[0]), t = Integer.parseInt(args[1]);
        double ess = Double.parseDouble(args[2]);
        AccuracyCase c = AccuracyBench.member(args[3]).make().apply(Long.parseLong(args[5]));
        int seeds = Integer.parseInt(args[4]);
        McgDiffSampler.Slopes slopes = McgDiffSampler.Slopes.valueOf(args[6].toUpperCase(Locale.ROOT));
        for (int seed = 1; seed <= seeds; seed++) {
            SamplerSpec.McgDiff spec = new SamplerSpec.McgDiff(k, t, SamplerSpec.Resampling.SYSTEMATIC, ess, SamplerSpec.Spacing.TAIL, 1);
            try (NDManager manager = NDManager.newBaseManager();
                    Target target = Target.of(c.plan(spec), RuntimeProvider.NONE, manager)) {
                McgDiffSampler s = new McgDiffSampler(target, spec, McgDiffSampler.Potential.NOISE_MATCHED, slopes,
                        RunOptions.seed(seed), StepListener.NONE, manager);
                List<int[]> anc = new ArrayList<>();
                List<Integer> steps = new ArrayList<>();
                s.onAncestors = (i, a) -> {
                    anc.add(a);
                    steps.add(i);
                };
                RunResult r = s.run();
                LinearObservations obs = LinearObservations.of(target);
                report(c, r, obs, anc, steps, seed);
            }
        }
    }

    static void report(AccuracyCase c, RunResult r, LinearObservations obs, List<int[]> anc, List<Integer> steps, int seed) {
        int d = c.exact().mean().length, rk = obs.rank();
        double[][] basis = new double[d][];
        for (int q = 0; q < rk; q++) basis[q] = obs.basis()[q];
        int n = rk;
        for (int j = 0; j < d && n < d; j++) {
            double[] v = new double[d];
            v[j] = 1;
            for (int q = 0; q < n; q++) {
                double dot = 0;
                for (int i = 0; i < d; i++) dot += v[i] * basis[q][i];
                for (int i = 0; i < d; i++) v[i] -= dot * basis[q][i];
            }
            double nn = 0;
            for (double x : v) nn += x * x;
            if (nn < 1e-8) continue;
            for (int i = 0; i < d; i++) v[i] /= Math.sqrt(nn);
            basis[n++] = v;
        }
        double[][] cov = c.mixture().covariance();
        double[] m = r.weightedMean();
        double[][] ec = r.weightedCovariance();
        double eo = 0, ef = 0, vo = 0, vf = 0;
        for (int q = 0; q < d; q++) {
            double dm = 0, sv = 0, ev = 0;
            for (int i = 0; i < d; i++) dm += basis[q][i] * (m[i] - c.exact().mean()[i]);
            for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) { sv += basis[q][i] * cov[i][j] * basis[q][j]; ev += basis[q][i] * ec[i][j] * basis[q][j]; }
            double e2 = dm * dm / sv, v2 = (ev / sv - 1) * (ev / sv - 1);
            if (q < rk) { eo += e2; vo += v2; } else { ef += e2; vf += v2; }
        }
        AccuracyCase.Score sc = c.measure(r);
        int nres = 0;
        for (int[] a : anc) if (a != null) nres++;
        // coalescence: distinct ancestors of the final particles at each step (index into anc list: anc.get(j) at steps.get(j))
        int kk = r.particles();
        int[] lineage = new int[kk];
        for (int p = 0; p < kk; p++) lineage[p] = p;
        StringBuilder co = new StringBuilder();
        int[] marks = {1, 2, 5, 10, 20, 40, 60, 80, 100, 120, 150, 180, 199};
        int mi = 0;
        for (int j = anc.size() - 1; j >= 0; j--) {
            int[] a = anc.get(j);
            if (a != null) for (int p = 0; p < kk; p++) lineage[p] = a[lineage[p]];
            int step = steps.get(j);
            int from = anc.size() - j;
            if (mi < marks.length && from == marks[mi]) {
                co.append(String.format(Locale.ROOT, " i=%d:%d", step, java.util.Arrays.stream(lineage).distinct().count()));
                mi++;
            }
        }
        double lastEss = r.stats().get(r.stats().size() - 1).ess();
        System.out.printf(Locale.ROOT, "%s seed %d: mean err %.3f (obs %.3f free %.3f) var err %.3f (obs %.3f free %.3f) dlogZ %.3f resamples %d lastESS %.0f | coalescence%s%n",
                c.name(), seed, sc.meanError(), Math.sqrt(eo / rk), Math.sqrt(ef / Math.max(1, d - rk)), sc.varianceError(),
                Math.sqrt(vo / rk), Math.sqrt(vf / Math.max(1, d - rk)), sc.logZError(), nres, lastEss, co);
        StringBuilder es = new StringBuilder("  ess after reweight by step:");
        for (var st : r.stats()) if (st.step() % 10 == 0 || st.step() < 6) es.append(String.format(Locale.ROOT, " %d:%.0f%s", st.step(), st.ess(), st.resampled() ? "*" : ""));
        System.out.println(es);
        StringBuilder inc = new StringBuilder("  logZ increments per block of 20 steps (from T):");
        double acc = 0; int nn2 = 0;
        for (var st : r.stats()) { acc += st.logEvidenceIncrement(); if (++nn2 % 20 == 0 || st.step() == 1) { inc.append(String.format(Locale.ROOT, " %.3f", acc)); acc = 0; } }
        System.out.println(inc);
    }
}
