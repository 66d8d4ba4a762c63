#!/usr/bin/env bash
# Reruns the commands behind the numbers quoted in docs/tutorial.md, docs/composition.md and docs/samplers.md and
# prints them in the order the docs quote them, each under a line "## doc: what it quotes" with the command, so that a
# later session can re-check the docs in one command (issue 10: docs quote only numbers the current code reproduces).
# Not covered here: the accuracy tables of docs/samplers.md (runtime/accuracy-bench.sh regenerates them), its mcgdiff
# and "Other observation families" sections (their own benchmarks), and the MNIST evaluations the docs cite from
# docs/mnist.md (training/evaluate*.sh).
#
# usage: scripts/docs-numbers.sh [--heavy] [tutorial|composition|samplers ...]      (default: all three)
#   without --heavy: the `dfl run`/`dfl plan` commands of the toy examples, the composition tests that print numbers
#     and the cheap benchmarks; about 20-30 minutes on the shared 2-core machine;
#   --heavy adds CompositionBench, the MNIST runs (not1.dfl with SMC, inpainting by replacement), PosteriorErrorBench,
#     ThroughputBench and ReplacementBench (about an hour more); scripts/memory-bench.sh and SoakBench (the Memory
#     section of samplers.md) are not run: they take tens of minutes each, run them by hand.
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
# stats [product|cfg|phase]: weighted statistics of the last run's samples.npy and log_weights.npy
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
  mvn -B -q -o test-compile dependency:build-classpath -pl runtime -am -Dmdep.outputFile="$tmp/rt.cp" >/dev/null
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
  say "tutorial §4: the MNIST examples compile (their runs: docs/mnist.md, training/evaluate*.sh)"
  for f in class7 inpaint card not1; do dfl check "examples/mnist/$f.dfl"; done
}

composition() {
  say "composition: HMC line-integral errors (Simpson midpoint per leapfrog step / straight segment / old path rule)"
  bench dfl.runtime.mcmc.HmcLineIntegralErrors
  say "composition: KernelInvarianceTest |z| values"
  mvn_test KernelInvarianceTest '\|z\||z ='
  say "composition: LineIntegralProperties table"
  mvn_test LineIntegralProperties '^\| |points'
  say "composition: AnnealedCompositionTest (HMC(2) Simpson-5 log Z vs the old path rule)"
  mvn_test AnnealedCompositionTest 'log Z|log Ẑ|mean'
  if $heavy; then
    say "composition: CompositionBench 1000 100 10 1 (ring x bar and the 8-D product; seconds depend on load)"
    bench dfl.runtime.mcmc.bench.CompositionBench 1000 100 10 1
  fi
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
  if $heavy; then
    say "composition: not1.dfl, seed 1, as shipped and with smc = true (distinct ancestors at the end)"
    run examples/mnist/not1.dfl --seed 1
    sed 's/points = 5))/points = 5), smc = true)/' examples/mnist/not1.dfl > "$tmp/not1-smc.dfl"
    run "$tmp/not1-smc.dfl" --seed 1
  fi
}

samplers() {
  say "samplers: TdsProposalTest (coords16 error with the beta-tilde step and the old step)"
  mvn_test TdsProposalTest 'error|s\.d\.'
  say "samplers: card.dfl, seed 1 (runs' log Z spread)"
  run examples/mnist/card.dfl --seed 1
  python3 -c "import json, numpy as np; r = json.load(open('$out/summary.json'))['run_log_evidence']; print('  run log Z sd %.0f over %d runs' % (np.std(r, ddof=1), len(r)))"
  say "samplers: Reproducibility, card.dfl with K = 2, T = 3 on one and two libtorch threads"
  for n in 1 2; do
    DFL_JAVA_OPTS="-Dai.djl.pytorch.num_threads=$n" ./dfl run examples/mnist/card.dfl --particles 2 --steps 3 --seed 1 --quiet --out "$tmp/threads$n" 2>&1 | grep -v '^dfl: building' || true
  done
  python3 -c "import numpy as np; a, b = (np.load('$tmp/threads%d/samples.npy' % n) for n in (1, 2)); print('  max |difference| %.2g' % abs(a.astype(float) - b).max())"
  for n in 1 2; do
    DFL_JAVA_OPTS="-Dai.djl.pytorch.num_threads=$n" ./dfl run examples/toy/posterior2d.dfl --seed 1 --quiet --out "$tmp/gthreads$n" 2>&1 | grep -v '^dfl: building' || true
  done
  cmp -s "$tmp/gthreads1/samples.npy" "$tmp/gthreads2/samples.npy" && echo "  posterior2d: identical bytes on 1 and 2 threads" \
    || echo "  posterior2d: samples differ between 1 and 2 threads"
  say "samplers: evidence at T = 500, K = 1024 (PosteriorErrorBench 2d 500 8 TWEEDIE 1024)"
  bench -DonlyTds=1 -DlogMeanZ=1 dfl.runtime.bench.PosteriorErrorBench 2d 500 8 TWEEDIE 1024
  if $heavy; then
    say "samplers: posterior-mean error vs K (PosteriorErrorBench 2d 200 8 TWEEDIE 16 64 256 1024, then REFERENCE 64 1024)"
    bench -DdpsScale=1 dfl.runtime.bench.PosteriorErrorBench 2d 200 8 TWEEDIE 16 64 256 1024
    bench -DonlyTds=1 dfl.runtime.bench.PosteriorErrorBench 2d 200 8 REFERENCE 64 1024
    say "samplers: ThroughputBench 4096 1000 1"
    bench dfl.runtime.bench.ThroughputBench 4096 1000 1
    say "samplers: inpaint.dfl with the replacement variant, seed 1"
    sed 's/tds(particles = 16)/tds(particles = 16, variant = "replacement")/' examples/mnist/inpaint.dfl > "$tmp/inpaint-repl.dfl"
    run "$tmp/inpaint-repl.dfl" --seed 1
    python3 -c "import json; s = json.load(open('$out/summary.json')); print('  resampled at steps', [t.get('step') for t in s.get('steps', []) if t.get('resampled')])" || true
  fi
}

for s in "${sections[@]}"; do
  printf '\n# docs/%s.md\n' "$s"
  "$s"
done
