#!/usr/bin/env bash
# Regenerates the accuracy tables of docs/samplers.md (between the accuracy-bench markers): TDS variants against exact
# posteriors over the benchmark family (AccuracyBench). Default: the variants at K = 2048, T = 200, then the default
# TDS at K ∈ {256, 2048} × T ∈ {50, 200}; 3 runs per row. Arguments (SEEDS K,K T,T VARIANTS [CASES]) replace both with
# one table. Takes about 30 minutes on 2 cores with the defaults.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export DJL_OFFLINE=true OPT_OUT_TRACKING=true OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
mvn -B -q -o -pl runtime -am test-compile
mvn -B -q -o -pl runtime dependency:build-classpath -Dmdep.outputFile="$root/runtime/target/bench.cp" >/dev/null
cp="runtime/target/classes:runtime/target/test-classes:plan/target/classes:grammar/target/classes:$(cat runtime/target/bench.cp)"
bench() {
  echo
  echo '```'
  echo "AccuracyBench $*"
  echo '```'
  echo
  java -cp "$cp" -Dorg.slf4j.simpleLogger.defaultLogLevel=error dfl.runtime.sampler.AccuracyBench "$@"
}
table="$(mktemp)"
if [ $# -gt 0 ]; then
  bench "$@" | tee "$table"
else
  { bench 3 2048 200 tds,tds-uniform,tds-second; bench 3 256,2048 50,200 tds; } | tee "$table"
fi
python3 - "$table" docs/samplers.md <<'PY'
import sys
table, doc = open(sys.argv[1]).read(), sys.argv[2]
s = open(doc).read()
b, e = "<!-- accuracy-bench:begin -->", "<!-- accuracy-bench:end -->"
i, j = s.index(b) + len(b), s.index(e)
open(doc, "w").write(s[:i] + "\n" + table + s[j:])
PY
rm -f "$table"
