# Sourced by the training scripts: offline DJL, one intra-op (TRAIN_THREADS to change) and one inter-op thread,
# passive OpenMP waiting (spinning threads slow everything else on a shared machine), quiet logs.
export DJL_OFFLINE=true OPT_OUT_TRACKING=true OMP_WAIT_POLICY=PASSIVE
JOPTS="-Dai.djl.offline=true -DOPT_OUT_TRACKING=true -Dai.djl.pytorch.num_threads=${TRAIN_THREADS:-1} -Dai.djl.pytorch.num_interop_threads=1"
JOPTS="$JOPTS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils=error"
JOPTS="$JOPTS -Xmx2g -XX:MaxDirectMemorySize=1g"
DATA=${DATA:-../shared/data/mnist}   # relative to the project root, where the scripts run
MODELS=models/src/main/resources/dfl/models/mnist
# freeze a copy of the compiled classes for this run so later recompiles cannot disturb it
snapshot_classes() {
    local dir=training/build/run-$1
    rm -rf "$dir" && mkdir -p "$dir" && cp -r training/build/classes "$dir/classes"
    sed "s|^training/build/classes|$dir/classes|" training/build/classpath
}
