#!/usr/bin/env bash
# Reruns the commands behind the numbers quoted in docs/tutorial.md, docs/composition.md and docs/samplers.md and
# prints them in the order the docs quote them, each under a line "## doc: what it quotes" with the command, so that a
# later session can re-check the docs in one command (issue 10: docs quote only numbers the current code reproduces).
# Not covered here: the accuracy tables of docs/samplers.md (runtime/accuracy-bench.sh regenerates them), its mcgdiff
# and "Other observation families" sections (their own benchmarks), and the MNIST evaluations the docs cite from
# docs/mnist.md (training/evaluate*.sh).
#
# usage: scripts/docs-numbers.sh [--heavy] [tutorial|composition|samplers ...]      (default: all three)
#   without --heavy: the `dfl run`/`dfl plan` commands of the toy and MNIST examples (and variants of them), the
#     composition tests that print numbers and the cheap benchmarks (PosteriorErrorBench, ReplacementBench); 29
#     minutes on the shared 2-core machine at load average 20-30 (2026-11-30);
#   --heavy adds CompositionBench, ThroughputBench, the 500,000-draw chain evidence of posterior2d, SoakBench and 10
#     NanDebug JVMs (about 20 minutes more). scripts/memory-bench.sh (the Memory table of samplers.md) is not run here:
#     run it by hand (scripts/memory-bench.sh 100000 5 100 1000 takes about 30 minutes at load average 20).
# Seconds are printed as measured; on a shared machine only ratios within one run mean anything.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export DJL_OFFLINE=true OPT_OUT_TRACKING=true OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
heavy=false
sections=()
for a in "$@"; do
  case "$a" in
    --heavy) heavy=true ;;
    tutorial|composition|samplers) sections+=("$a") ;;
    *) echo "usage: scripts/docs-numbers.sh [--heavy] [tutorial|composition|samplers ...]" >&2; exit 2 ;;
  esac
done
[ ${#sections[@]} -gt 0 ] || sections=(tutorial composition samplers)
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
cp -r examples/toy "$tmp/toy"      # variants of the examples are written beside their .pt files
out="$tmp/out"

say() { printf '\n## %s\n' "$*"; }
# dfl ARGS...: the CLI, without the launcher's build message; prints the summary line (and any warning)
dfl() { ./dfl "$@" 2>&1 | grep -v '^dfl: building' || true; }
# run FILE ARGS...: `dfl run` into the scratch folder; prints the command and its summary line
run() { echo "\$ dfl run $*"; dfl run --out "$out" "$@"; }
# variant NAME FILE SED-EXPRESSION: writes $tmp/toy/NAME.dfl, FILE with the expression applied, and prints its path
variant() { sed -e "$3" "$2" > "$tmp/toy/$1.dfl"; echo "$tmp/toy/$1.dfl"; }
# stats [product]: weighted statistics of the last run's samples.npy and log_weights.npy
stats() {
  python3 - "$out" "${1:-}" <<'PY'
import json, sys
import numpy as np
d, kind = sys.argv[1], sys.argv[2]
x = np.load(d + "/samples.npy").astype(float); x = x.reshape(len(x), -1)
lw = np.load(d + "/log_weights.npy"); w = np.exp(lw - lw.max()); w /= w.sum()
m = w @ x; v = w @ (x - m) ** 2
s = json.load(open(d + "/summary.json"))
line = "  weighted mean " + np.array2string(m, precision=4) + ", variance " + np.array2string(v, precision=5)
if kind == "product":
    line += ", upper mode %.1f%%, off the bar (|x1| > 0.2) %.1f%%" % (100 * w[x[:, 1] > 0].sum(), 100 * w[abs(x[:, 0]) > 0.2].sum())
line += ", network calls %s" % s.get("network_calls")
print(line)
PY
}

# The test and benchmark classes of the runtime module and their classpath (built once).
cp=""
classpath() {
  [ -n "$cp" ] && return
  mvn -B -q -o test-compile dependency:build-classpath -pl runtime -am -Dmdep.outputFile="$tmp/rt.cp" >"$tmp/mvn.log" 2>&1 \
    || { cat "$tmp/mvn.log"; exit 1; }
  cp="runtime/target/classes:runtime/target/test-classes:$(cat "$tmp/rt.cp")"
}
bench() { classpath; echo "\$ java -cp <runtime classes, test classes, dependencies> $*"; \
  java -Dai.djl.pytorch.num_threads=1 -Dorg.slf4j.simpleLogger.defaultLogLevel=error -cp "$cp" "$@" 2>&1; }
# mvn_test CLASS GREP: runs one runtime test class and prints the lines of its output that match GREP
mvn_test() {
  echo "\$ mvn -B -o -pl runtime -am test -Dtest=$1 -Dsurefire.failIfNoSpecifiedTests=false"
  mvn -B -o -pl runtime -am test -Dtest="$1" -Dsurefire.failIfNoSpecifiedTests=false 2>&1 | grep -E "$2|Tests run:|FAIL" || true
}

tutorial() {
  say "tutorial §1: posterior2d, plan and the seed-1 run (summary line, weighted mean)"
  dfl check examples/toy/posterior2d.dfl
  dfl plan examples/toy/posterior2d.dfl | sed -n '/sampler tds/,$p'
  run examples/toy/posterior2d.dfl --seed 1
  say "tutorial §1: exact posterior mean and log p(y) of posterior2d (closed form)"
  python3 - <<'PY'
import numpy as np
w, mu, s2 = np.array([0.3, 0.7]), np.array([[-2.0, 0.0], [2.0, 1.0]]), 0.25
a, y, sig2 = np.array([1.0, 0.5]), 1.2, 0.09
var_y = a @ a * s2 + sig2                      # y | component k ~ N(a·μ_k, a a' s² + σ²)
lz = np.log(w) - 0.5 * np.log(2 * np.pi * var_y) - 0.5 * (y - mu @ a) ** 2 / var_y
r = np.exp(lz - lz.max()); r /= r.sum()
means = mu + np.outer((y - mu @ a) / var_y, s2 * a)   # μ_k + Σ a (y − a·μ_k)/var_y
print("  exact mean", np.round(r @ means, 3), "log p(y) %.4f" % np.logaddexp.reduce(lz))
PY
  say "tutorial §2: the typo diagnostic"
  variant typo examples/toy/posterior2d.dfl '/^\/\//d; s/tds(particles = 1024, steps = 200)/tds(particle = 1024)/' >/dev/null
  (cd "$tmp/toy" && "$root/dfl" check typo.dfl 2>&1 || echo "exit $?") | grep -v '^dfl: building'
  say "tutorial §3 / composition: product.dfl, seed 1 (mode split, log Z)"
  run examples/toy/product.dfl --seed 1; stats product
  say "tutorial §3: tds on a product is refused"
  dfl check "$(variant product-tds examples/toy/product.dfl 's/sample x with .*/sample x with tds();/')" | head -3
  say "tutorial §3: mixture.dfl and negation.dfl run (seed 1; mixture's log Z is about 0, its densities being normalised)"
  run examples/toy/mixture.dfl --seed 1
  run examples/toy/negation.dfl --seed 1
  say "tutorial §4: the MNIST examples run, seed 1 (their evaluations: docs/mnist.md, training/evaluate*.sh)"
  for f in class7 inpaint card not1; do run "examples/mnist/$f.dfl" --seed 1; done
  say "tutorial §5: classifier.dfl, seed 1"
  run examples/toy/classifier.dfl --seed 1
  say "tutorial §5: the clean classifier (gmm_logits.pt of the stdlib tests), seed 1"
  cp stdlib/src/test/resources/dfl/stdlib/torchscript/gmm_logits.pt "$tmp/toy/"
  run "$(variant classifier-clean examples/toy/classifier.dfl 's/torchscript_gmm_noisy_logits.pt/gmm_logits.pt/; s/, label = 0,/, label = 0);/; /noise_conditioned = true/d')" --seed 1
  say "tutorial §5: cfg.dfl, seed 1, annealed and cfg_reverse (exact mean (1.008, -0.511), docs/models.md)"
  run examples/toy/cfg.dfl --seed 1; stats cfg
  run "$(variant cfg-reverse examples/toy/cfg.dfl 's/sample x with .*/sample x with cfg_reverse();/')" --seed 1; stats cfg
  say "tutorial §6: photons.dfl and phase.dfl, seed 1; phase with the default twist"
  run examples/toy/photons.dfl --seed 1
  run examples/toy/phase.dfl --seed 1
  run "$(variant phase-tweedie examples/toy/phase.dfl 's/, twist_var = second_order//')" --seed 1
}

composition() {
  say "composition: HMC line-integral errors, t0 rows: pathSimpson3 (a Simpson midpoint per leapfrog step), simpson:5 (straight segment), old(0) (old path rule)"
  bench dfl.runtime.mcmc.HmcLineIntegralErrors
  say "composition: KernelInvarianceTest |z| values"
  mvn_test KernelInvarianceTest '\|z\||z ='
  say "composition: LineIntegralProperties table"
  mvn_test LineIntegralProperties 'mean \|error\|'
  say "composition: AnnealedCompositionTest (HMC(2) Simpson-5 log Z vs the old path rule)"
  mvn_test AnnealedCompositionTest 'log Z|log Ẑ|mean'
  if $heavy; then
    say "composition: CompositionBench 1000 100 10 1 (ring x bar and the 8-D product; seconds depend on load)"
    bench dfl.runtime.mcmc.bench.CompositionBench 1000 100 10 1
  fi
  say "composition: not1.dfl, seed 1, as shipped and with smc = true (distinct samples, ancestors at the end)"
  run examples/mnist/not1.dfl --seed 1
  sed 's/points = 5))/points = 5), smc = true)/' examples/mnist/not1.dfl > "$tmp/not1-smc.dfl"
  run "$tmp/not1-smc.dfl" --seed 1
  python3 -c "import csv; r = [l for l in csv.DictReader(l for l in open('$out/trace.csv') if not l.startswith('#'))]; \
print('  unique ancestors over the last 10 levels:', [int(l['unique_ancestors']) for l in r[-10:]])"
  say "composition: product.dfl, target acceptance 0.65 against the default 0.9, seeds 1-5 (mean log Z)"
  for s in 1 2 3 4 5; do run "$(variant product-065 examples/toy/product.dfl 's/points = 5)/points = 5), target_acceptance = 0.65/')" --seed $s; done
  say "composition: dfl plan of product, mixture, negation"
  for f in product mixture negation; do echo "\$ dfl plan examples/toy/$f.dfl"; dfl plan "examples/toy/$f.dfl"; done
  say "composition: product.dfl seeds 1-5 (table: upper mode, var x1, var x2, log Z)"
  for s in 1 2 3 4 5; do run examples/toy/product.dfl --seed $s; stats product; done
  say "composition: product.dfl with rule = trapezoid, seeds 1-5"
  for s in 1 2 3 4 5; do run "$(variant product-trap examples/toy/product.dfl 's/points = 5)/points = 5, rule = trapezoid)/')" --seed $s; done
  say "composition: ProductLogZBench 1000 3 (the three rules side by side)"
  bench dfl.runtime.mcmc.bench.ProductLogZBench 1000 3
  say "composition: product.dfl with mh = energy, seeds 1-5"
  for s in 1 2 3 4 5; do run "$(variant product-energy examples/toy/product.dfl 's/mh = line_integral(points = 5)/mh = energy/')" --seed $s; stats product; done
  say "composition: product.dfl with smc = false, seed 1 (chains off the bar, var x1)"
  run "$(variant product-nosmc examples/toy/product.dfl 's/points = 5)/points = 5), smc = false/')" --seed 1; stats product
}

samplers() {
  say "samplers §TDS: coords16 (K = 512, T = 100, 4 runs, evenly spaced): the beta-tilde tilt and the old score step"
  classpath
  cat > "$tmp/TdsProposalErrors.java" <<'JAVA'
import java.lang.reflect.Method;

/** TdsProposalTest's statistic (RMS over runs and coordinates of the standardised error of the posterior mean). */
public class TdsProposalErrors {
    public static void main(String[] a) throws Exception {
        Method member = Class.forName("dfl.runtime.sampler.AccuracyBench").getDeclaredMethod("member", String.class);
        member.setAccessible(true);
        Object m = member.invoke(null, a[0]);
        Method make = m.getClass().getDeclaredMethod("make");
        make.setAccessible(true);
        Object c = ((java.util.function.LongFunction<?>) make.invoke(m)).apply(1L);
        Method rms = null;
        for (Method x : Class.forName("dfl.runtime.sampler.TdsProposalTest").getDeclaredMethods()) if (x.getName().equals("rmsError")) rms = x;
        rms.setAccessible(true);
        int k = Integer.parseInt(a[1]), t = Integer.parseInt(a[2]), runs = Integer.parseInt(a[3]);
        for (int i = 4; i < a.length; i++) {
            System.out.printf(java.util.Locale.ROOT, "%s %s K = %d T = %d, %d runs: mean error %.3f posterior s.d.%n", a[0], a[i], k, t,
                    runs, (double) rms.invoke(null, c, a[i], k, t, runs));
        }
    }
}
JAVA
  bench "$tmp/TdsProposalErrors.java" coords16 512 100 4 tds-uniform tds-uniform-score-step
  say "samplers §TDS runs: card.dfl, seed 1 (the runs' log Z spread: sd in the summary line)"
  run examples/mnist/card.dfl --seed 1
  say "samplers §TDS runs: card.dfl as one population of 16, seed 1 (distinct ancestors at the last resampling)"
  sed 's/tds(particles = 2, runs = 8, steps = 100)/tds(particles = 16, steps = 100)/' examples/mnist/card.dfl > "$tmp/card16.dfl"
  run "$tmp/card16.dfl" --seed 1
  say "samplers §replacement: inpaint.dfl with variant = \"replacement\", seed 1 (resampling steps, the last one's ESS and ancestors)"
  sed 's/tds(particles = 16)/tds(particles = 16, variant = "replacement")/' examples/mnist/inpaint.dfl > "$tmp/inpaint-repl.dfl"
  run "$tmp/inpaint-repl.dfl" --seed 1
  python3 -c "import csv; r = [l for l in csv.DictReader(l for l in open('$out/trace.csv') if not l.startswith('#'))]; \
z = [l for l in r if l['resampled'] == '1']; print('  resampled at steps', [int(l['step']) for l in z], \
'; at the last of them: ESS after reweighting', z[-1]['ess'], ', ancestors kept', z[-1]['unique_ancestors'])"
  say "samplers §replacement: ReplacementBench (T = 50, 24 seeds; T = 200, 8 seeds; T = 1000, 6 seeds)"
  bench dfl.runtime.sampler.bench.ReplacementBench 24 50 64
  bench dfl.runtime.sampler.bench.ReplacementBench 8 200 64 256 1024
  bench dfl.runtime.sampler.bench.ReplacementBench 6 1000 64 256 1024
  say "samplers §exact references: variance shortfall of the DDPM chain with exact scores (closed-form recursion)"
  python3 - <<'PY'
import numpy as np
N = 1000                                  # training steps; RespacedSchedule and Schedule in Python
def alphabars(kind):
    if kind == "linear":
        b = np.linspace(1e-4, 0.02, N)
    else:
        f = lambda u: np.cos((u + 0.008) / 1.008 * np.pi / 2) ** 2
        i = np.arange(N)
        b = np.minimum(1 - f((i + 1.0) / N) / f(i / N), 0.999)
    return np.cumprod(1 - b)
def train_steps(T, spacing):
    ts = []
    for i in range(1, T + 1):
        if spacing == "uniform":
            fr = (i - 1) / (T - 1) * (N - 1)
        else:
            fine = max(1, T // 5)
            fr = i - 1 if i <= fine else fine - 1 + (i - fine) * (N - fine) / (T - fine)
        t = int(np.floor(fr + 0.5))
        ts.append(max(t, ts[-1] + 1) if ts else t)
    return ts
def shortfall(s, kind, T, spacing):       # 1 - final variance / s² for the prior N(0, s²)
    ab = np.concatenate([[1.0], alphabars(kind)[train_steps(T, spacing)]])
    v = 1.0
    for i in range(T, 0, -1):
        beta = 1 - ab[i] / ab[i - 1]
        c0, ct = np.sqrt(ab[i - 1]) * beta / (1 - ab[i]), np.sqrt(1 - beta) * (1 - ab[i - 1]) / (1 - ab[i])
        tweedie = np.sqrt(ab[i]) * s * s / (ab[i] * s * s + 1 - ab[i])
        v = (c0 * tweedie + ct) ** 2 * v + beta * (1 - ab[i - 1]) / (1 - ab[i])
    return 1 - v / (s * s)
for spacing in ("uniform", "tail"):
    print("  %s spacing, T = 100, 200, 1000" % spacing)
    for s, kind in ((0.25, "linear"), (0.5, "linear"), (1.0, "linear"), (0.5, "cosine")):
        print("  | %s (%s) | %s |" % (s, kind, " | ".join("%.1f%%" % (100 * shortfall(s, kind, T, spacing)) for T in (100, 200, 1000))))
PY
  if $heavy; then
    say "samplers §exact references: posterior2d's log p(y) under the evenly spaced chain (reverse, K = 500,000, seed 1) minus the exact -2.9200"
    sed -e '/^observe/d; /^A = /d; /^y = /d; s/sample x with .*/sample x with reverse(particles = 500000);/' \
      examples/toy/posterior2d.dfl > "$tmp/prior2d.dfl"
    for t in 200 500; do
      run "$tmp/prior2d.dfl" --steps $t --seed 1
      python3 -c "import numpy as np; x = np.load('$out/samples.npy').astype(float); l = -0.5 * ((1.2 - x @ [1.0, 0.5]) / 0.3) ** 2 \
- np.log(0.3 * np.sqrt(2 * np.pi)); m = l.max(); e = np.exp(l - m); \
print('  T = $t: log mean likelihood - exact %.4f +- %.4f (s.e.)' % (m + np.log(e.mean()) + 2.92, e.std() / e.mean() / np.sqrt(len(e))))"
    done
  fi
  say "samplers §accuracy vs K: PosteriorErrorBench (posterior2d, T = 200, 8 seeds)"
  bench -DdpsScale=1 dfl.runtime.bench.PosteriorErrorBench 2d 200 8 TWEEDIE 16 64 256 1024
  bench -DonlyTds=1 dfl.runtime.bench.PosteriorErrorBench 2d 200 8 REFERENCE 64 1024
  say "samplers §accuracy vs K: evidence at T = 500, K = 1024 (PosteriorErrorBench 2d 500 8 TWEEDIE 1024)"
  bench -DonlyTds=1 -DlogMeanZ=1 dfl.runtime.bench.PosteriorErrorBench 2d 500 8 TWEEDIE 1024
  if $heavy; then
    say "samplers §throughput: ThroughputBench 4096 1000 2, 4096 200 1 and 64 1000 1 (seconds depend on the load)"
    uptime
    bench dfl.runtime.bench.ThroughputBench 4096 1000 2
    bench dfl.runtime.bench.ThroughputBench 4096 200 1
    bench dfl.runtime.bench.ThroughputBench 64 1000 1
    uptime
  fi
  if $heavy; then
    say "samplers §memory: SoakBench 10000 256 with a fixed, pre-touched heap (RSS at step 1,000 and 10,000, log-evidence)"
    bench -Xms256m -Xmx256m -XX:+AlwaysPreTouch dfl.runtime.bench.SoakBench 10000 256 | grep -E 'step +(1|1000|10000)/|done'
  fi
  if $heavy; then
    say "samplers §known problems: intermittent NaN, 10 fresh JVMs of NanDebug 2d 500 1024 1000 TWEEDIE 1"
    for i in 1 2 3 4 5 6 7 8 9 10; do bench dfl.runtime.bench.NanDebug 2d 500 1024 1000 TWEEDIE 1 | grep -v '^\$'; done
  fi
  say "samplers §reproducibility: one and two libtorch threads, seed 1: card.dfl as shipped, card.dfl as one population of 2 with T = 3, posterior2d, product.dfl"
  sed 's/tds(particles = 2, runs = 8, steps = 100)/tds(particles = 2, steps = 3)/' examples/mnist/card.dfl > "$tmp/card-k2.dfl"
  for n in 1 2; do
    for f in examples/mnist/card.dfl "$tmp/card-k2.dfl" examples/toy/posterior2d.dfl examples/toy/product.dfl; do
      DFL_JAVA_OPTS="-Dai.djl.pytorch.num_threads=$n" ./dfl run "$f" --seed 1 --quiet --no-warnings \
        --out "$tmp/threads$n-$(basename "$f" .dfl)" 2>&1 | grep -v '^dfl: building' || true
    done
  done
  python3 - "$tmp" <<'PY'
import sys
import numpy as np
for f in ("card", "card-k2", "posterior2d", "product"):
    a, b = (np.load("%s/threads%d-%s/samples.npy" % (sys.argv[1], n, f)).astype(float) for n in (1, 2))
    d = abs(a - b)
    print("  %s: |1 thread - 2 threads| largest %.2g, median %.2g" % (f, d.max(), np.median(d)))
PY
}

for s in "${sections[@]}"; do
  printf '\n# docs/%s.md\n' "$s"
  "$s"
done
