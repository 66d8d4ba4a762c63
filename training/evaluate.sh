#!/usr/bin/env bash
# Samples N digits from the shipped diffusion weights through the one pipeline (reverse diffusion, the runtime's
# sampler, STEPS respaced steps, batches of 100 particles seeded SEED, SEED+1, ...), writes the first 100 as
# docs/images/mnist-samples.png and scores all N with the evaluation classifier (trained on the test split only).
# Builds first; the weights are the classpath resources, i.e. what models/src/main/resources holds now.
set -uo pipefail
cd "$(dirname "$0")/.."
export DJL_OFFLINE=true OPT_OUT_TRACKING=true OMP_WAIT_POLICY=PASSIVE
N=${N:-1000}
STEPS=${STEPS:-100}
PNG=${PNG:-docs/images/mnist-samples.png}
SUMMARY=${SUMMARY:-training/eval-summary.properties}
mvn -B -q -o install -DskipTests > training/eval-build.log 2>&1 || { echo "build failed: training/eval-build.log"; exit 1; }
touch cli/target/.dfl-built
nice -n 5 java -Dai.djl.offline=true -DOPT_OUT_TRACKING=true -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=error -cp "cli/target/classes:$(cat cli/target/classpath.txt):examples/target/classes" \
    dfl.examples.eval.MnistUnconditionalEval --n "$N" --steps "$STEPS" --seed "${SEED:-0}" --batch 100 --scale 2 \
    --png "$PNG" --summary "$SUMMARY"
