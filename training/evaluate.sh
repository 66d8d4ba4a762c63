#!/usr/bin/env bash
# Samples N digits from the current shipped diffusion weights (ancestral DDPM, STEPS respaced
# steps), writes the first 100 as docs/images/mnist-samples.png and scores all N with the
# evaluation classifier (trained on the test split only).
set -uo pipefail
cd "$(dirname "$0")/.."
source training/env.sh
N=${N:-1000}
STEPS=${STEPS:-100}
CP=$(snapshot_classes evaluate)
nice -n 5 java $JOPTS -cp "$CP" dfl.models.mnist.UnconditionalSamples --models "$MODELS" --n "$N" --steps "$STEPS" \
    --seed ${SEED:-0} --batch 100 --scale 2 --png docs/images/mnist-samples.png --classify \
    --summary training/eval-summary.properties
