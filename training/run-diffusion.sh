#!/usr/bin/env bash
# Trains the MNIST diffusion U-Net in chunks of CHUNK_MIN minutes until DEADLINE (a `date -d`
# string) or until --steps is reached. After every chunk the EMA weights are already in the
# stdlib resources (the trainer exports them at each checkpoint) and this script commits them
# together with the resumable checkpoint (raw + EMA weights + state; Adam moments stay local).
# Resume after an interruption by simply running this script again.
set -uo pipefail
cd "$(dirname "$0")/.."
source training/env.sh
DEADLINE=${DEADLINE:-"+100 minutes"}
CHUNK_MIN=${CHUNK_MIN:-25}
STEPS=${STEPS:-200000}
# the final stretch of a run uses a lower rate (LR=2.5e-4): a step decay at the end of training
LR=${LR:-8e-4}
end=$(date -d "$DEADLINE" +%s)
CP=$(snapshot_classes diffusion)
CK=training/checkpoints/diffusion
commit() {
    local msg=$1
    for i in 1 2 3 4 5 6; do
        git add "$MODELS/mnist-unet.params" "$MODELS/mnist-unet.properties" \
            "$CK/model.params" "$CK/ema.params" "$CK/state.properties" 2>/dev/null \
          && git commit -q -m "$msg" -- "$MODELS/mnist-unet.params" "$MODELS/mnist-unet.properties" \
                "$CK/model.params" "$CK/ema.params" "$CK/state.properties" && return 0
        sleep $((5 * i))
    done
    echo "commit failed: $msg"
}
while true; do
    now=$(date +%s)
    left_min=$(( (end - now) / 60 ))
    if (( left_min < 2 )); then echo "deadline reached"; break; fi
    chunk=$(( left_min < CHUNK_MIN ? left_min : CHUNK_MIN ))
    echo "=== chunk of $chunk min at $(date -u +%H:%M:%S)"
    nice -n 5 java $JOPTS -cp "$CP" dfl.models.mnist.Train diffusion --data "$DATA" --out "$MODELS" \
        --steps "$STEPS" --seed 1 --batch 64 --lr "$LR" --warmup 300 --ema 0.999 \
        --ckpt "$CK" --ckpt-minutes 8 --max-minutes "$chunk" --resume
    rc=$?
    step=$(sed -n 's/^step=//p' "$CK/state.properties")
    loss=$(sed -n 's/^loss_ema=//p' "$CK/state.properties")
    if [[ -n "$step" ]]; then
        commit "MNIST diffusion weights: step $step, train loss EMA ${loss:0:7} (auto-commit by training/run-diffusion.sh)"
    fi
    if (( rc == 0 )); then echo "finished"; break; fi
    if (( rc != 3 )); then echo "trainer failed with status $rc"; break; fi
done
