#!/usr/bin/env bash
# Trains the guidance classifier (train split) and then the evaluation classifier (test split),
# one JVM at a time on one core, and writes both into the stdlib resources.
set -uo pipefail
cd "$(dirname "$0")/.."
source training/env.sh
CP=$(snapshot_classes classifiers)
nice -n 5 java $JOPTS -cp "$CP" dfl.models.mnist.Train classifier --data "$DATA" --out "$MODELS" \
    --steps ${CLF_STEPS:-1500} --seed 1 --ckpt training/checkpoints/classifier --resume
nice -n 5 java $JOPTS -cp "$CP" dfl.models.mnist.Train classifier --eval --data "$DATA" --out "$MODELS" \
    --steps ${EVAL_STEPS:-800} --seed 2 --ckpt training/checkpoints/classifier-eval --resume
