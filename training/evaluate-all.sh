#!/usr/bin/env bash
# Every MNIST number in docs/mnist.md from the shipped weights, using both cores: the unconditional share
# (training/evaluate.sh), the class-conditional table (two processes, one seed each, all 10 labels) and the
# inpainting table, 200 samples of the full 1,000-step chain, then the example runs whose seconds / network_seconds docs/mnist.md reports.
# Logs go to training/eval-*.log. Takes about 40 minutes on the 2-core machine.
set -uo pipefail
cd "$(dirname "$0")/.."
export DJL_OFFLINE=true OPT_OUT_TRACKING=true OMP_WAIT_POLICY=PASSIVE
STEPS=${STEPS:-100}
DIGITS=${DIGITS:-10}
mvn -B -q -o install -DskipTests > training/eval-build.log 2>&1 || { echo "build failed: training/eval-build.log"; exit 1; }
touch cli/target/.dfl-built
CP="cli/target/classes:$(cat cli/target/classpath.txt):examples/target/classes"
J="java -Dai.djl.offline=true -DOPT_OUT_TRACKING=true -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1
   -Dorg.slf4j.simpleLogger.defaultLogLevel=error -Ddfl.mnist.data=${DATA:-../shared/data/mnist} -cp $CP"
$J dfl.examples.eval.MnistConditionalEval "$STEPS" 1 0123456789 1000 > training/eval-conditional-1000.log 2>&1 &
c1=$!
$J dfl.examples.eval.MnistConditionalEval "$STEPS" 1 0123456789 1001 > training/eval-conditional-1001.log 2>&1 &
c2=$!
wait $c1 $c2
$J dfl.examples.eval.MnistInpaintEval "$STEPS" "$DIGITS" "tds(particles = 16)" "dps(particles = 16, scale = 1)" \
    > training/eval-inpaint-a.log 2>&1 &
i1=$!
( N=${N:-1000} STEPS=$STEPS training/evaluate.sh > training/evaluate.log 2>&1
  $J dfl.examples.eval.MnistInpaintEval "$STEPS" "$DIGITS" "tds(particles = 16, variant = \"replacement\")" \
      > training/eval-inpaint-b.log 2>&1
  # the full 1,000-step chain on fewer samples: does it raise the confident share?
  N=200 STEPS=1000 PNG=out/eval-samples-1000.png SUMMARY=training/eval-summary-1000.properties training/evaluate.sh \
      > training/evaluate-1000.log 2>&1 ) &
i2=$!
wait $i1 $i2
rm -f training/eval-examples.log
for ex in card class7 inpaint not1; do
    t0=$(date +%s.%N)
    ./dfl run examples/mnist/$ex.dfl --seed 1 --quiet --out out/eval-$ex > training/eval-$ex.log 2>&1
    t1=$(date +%s.%N)
    python3 -c "import json; s = json.load(open('out/eval-$ex/summary.json')); print('$ex', s['sampler'], 'K', s['particles'], 'T', s['steps'], 'seconds', round(s['seconds'], 1), 'network', round(s['network_seconds'], 1), 'ratio', round(s['seconds'] / s['network_seconds'], 3), 'wall incl. JVM', round($t1 - $t0, 1))" >> training/eval-examples.log
done
echo done
