#!/usr/bin/env bash
# Fine-tunes the class-conditional MNIST U-Net (mnist-unet-cond: labels 0-9, null label 10, label dropout 0.1)
# from the shipped unconditional weights, in chunks of CHUNK_MIN minutes until DEADLINE (a `date -d` string) or
# until STEPS. The trainer exports the EMA weights and their .properties (with the held-out label-gap losses) at
# every checkpoint; after each chunk this script commits them, the resumable checkpoint (raw + EMA weights +
# state; the Adam moments stay local) and the log. Resume after an interruption by running this script again:
# the trainer continues from training/checkpoints/diffusion-cond (exactly, when adam.ndlist is still there).
# Output goes to LOG (default training/conditional.log, appended).
set -uo pipefail
cd "$(dirname "$0")/.."
source training/env.sh
LOG=${LOG:-training/conditional.log}
exec >>"$LOG" 2>&1
DEADLINE=${DEADLINE:-"+110 minutes"}
CHUNK_MIN=${CHUNK_MIN:-25}
STEPS=${STEPS:-20000}
LR=${LR:-2e-4}
LABEL_LR_SCALE=${LABEL_LR_SCALE:-20}   # the zero-initialised label embedding learns at 20x LR
NICE=${NICE:-10}
end=$(date -d "$DEADLINE" +%s)
CP=$(snapshot_classes conditional)
CK=training/checkpoints/diffusion-cond
FILES=("$MODELS/mnist-unet-cond.params" "$MODELS/mnist-unet-cond.properties"
       "$CK/model.params" "$CK/ema.params" "$CK/state.properties" "$LOG")
commit() {
    local msg=$1
    for i in 1 2 3 4 5 6; do
        git add "${FILES[@]}" 2>/dev/null && git commit -q -m "$msg" -- "${FILES[@]}" && return 0
        sleep $((5 * i))
    done
    echo "commit failed: $msg"
}
echo "=== run-conditional.sh started $(date -u +%F' '%H:%M:%S) UTC, deadline $(date -u -d @"$end" +%H:%M:%S), pid $$"
while true; do
    now=$(date +%s)
    left_min=$(( (end - now) / 60 ))
    if (( left_min < 2 )); then echo "deadline reached"; break; fi
    chunk=$(( left_min < CHUNK_MIN ? left_min : CHUNK_MIN ))
    echo "=== chunk of $chunk min at $(date -u +%H:%M:%S)"
    nice -n "$NICE" java $JOPTS -cp "$CP" dfl.models.mnist.Train diffusion --conditional --warm-start "$MODELS" \
        --data "$DATA" --out "$MODELS" --steps "$STEPS" --seed 2 --batch 64 --lr "$LR" --warmup 200 --ema 0.999 \
        --label-dropout 0.1 --label-lr-scale "$LABEL_LR_SCALE" --ckpt "$CK" --ckpt-minutes 8 --max-minutes "$chunk" --resume
    rc=$?
    step=$(sed -n 's/^step=//p' "$CK/state.properties" 2>/dev/null)
    loss=$(sed -n 's/^loss_ema=//p' "$CK/state.properties" 2>/dev/null)
    lt=$(sed -n 's/^eval.loss_true_label=//p' "$MODELS/mnist-unet-cond.properties" 2>/dev/null)
    ln=$(sed -n 's/^eval.loss_null_label=//p' "$MODELS/mnist-unet-cond.properties" 2>/dev/null)
    if [[ -n "$step" ]]; then
        commit "MNIST class-conditional weights: step $step, train loss EMA ${loss:0:7}, held-out loss true label $lt vs null $ln (auto-commit by training/run-conditional.sh)"
    fi
    if (( rc == 0 )); then echo "finished"; break; fi
    if (( rc != 3 )); then echo "trainer failed with status $rc"; break; fi
done
