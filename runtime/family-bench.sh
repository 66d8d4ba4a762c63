#!/usr/bin/env bash
# Prints the table of docs/samplers.md "Other observation families": TDS with each observation family against 2-D
# quadrature (FamilyAccuracyBench). Default: K = 256, T = 200, 8 runs, twists tweedie, reference and second_order
# (Normal observations only); arguments K T RUNS TWIST,TWIST.. replace them. About 3 minutes on 2 cores.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export DJL_OFFLINE=true OPT_OUT_TRACKING=true OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
mvn -B -q -o -pl runtime -am test-compile
mvn -B -q -o -pl runtime dependency:build-classpath -Dmdep.outputFile="$root/runtime/target/bench.cp" >/dev/null
cp="runtime/target/classes:runtime/target/test-classes:plan/target/classes:grammar/target/classes:$(cat runtime/target/bench.cp)"
if [ $# -gt 0 ]; then args=("$@"); else args=(256 200 8 tweedie,reference,second_order); fi
java -cp "$cp" -Dorg.slf4j.simpleLogger.defaultLogLevel=error dfl.runtime.sampler.FamilyAccuracyBench "${args[@]}"
