#!/usr/bin/env bash
# The "Varied outputs" tables of docs/mnist.md (issue 10): how many distinct completions card.dfl and inpainting return
# among 16 outputs, and whether they are still the right digit, for one TDS population of 16 and for runs = R
# populations. Logs go to training/eval-varied-*.log. One PyTorch thread; about 25 minutes on an idle 2-core machine.
set -uo pipefail
cd "$(dirname "$0")/.."
export DJL_OFFLINE=true OPT_OUT_TRACKING=true OMP_WAIT_POLICY=PASSIVE
mvn -B -q -o package -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true -pl examples -am > training/eval-build.log 2>&1 || { echo "build failed: training/eval-build.log"; exit 1; }
touch cli/target/.dfl-built
CP="cli/target/classes:$(cat cli/target/classpath.txt):examples/target/classes"
J="java -Dai.djl.offline=true -DOPT_OUT_TRACKING=true -Dai.djl.pytorch.num_threads=1 -Dorg.slf4j.simpleLogger.defaultLogLevel=error -cp $CP"
# card.dfl over seeds 1-3, the samplers in turn per seed (time ratios against the first)
$J dfl.examples.eval.MnistProgramEval examples/mnist/card.dfl --skip-own --label 3 --observed-mask left-half \
    --observation examples/mnist/data/left-half-3.png --seeds 1,2,3 "tds(particles = 16, steps = 100)" \
    "tds(particles = 4, runs = 4, steps = 100)" "tds(particles = 2, runs = 8, steps = 100)" \
    "tds(particles = 1, runs = 16, steps = 100)" "tds(particles = 2, runs = 16, steps = 100)" > training/eval-varied-card.log 2>&1
# inpainting 10 test digits (seeds 2000 + digit)
$J dfl.examples.eval.MnistInpaintEval --steps 100 --digits 10 --data "${DATA:-../shared/data/mnist}" "tds(particles = 16)" \
    "tds(particles = 4, runs = 4)" "tds(particles = 2, runs = 8)" "tds(particles = 1, runs = 16)" > training/eval-varied-inpaint.log 2>&1
$J dfl.examples.eval.MnistInpaintEval --steps 100 --digits 10 --data "${DATA:-../shared/data/mnist}" "tds(particles = 16)" \
    "tds(particles = 8, runs = 8)" > training/eval-varied-inpaint-64.log 2>&1
echo done
