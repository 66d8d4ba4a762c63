#!/usr/bin/env bash
# Regenerates the accuracy table of docs/samplers.md (between the accuracy-bench markers): TDS variants against exact
# posteriors over the benchmark family (AccuracyBench). Arguments override the defaults: SEEDS K,K T,T VARIANTS [CASES].
# Takes about 15 minutes on 2 cores with the defaults.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export DJL_OFFLINE=true OPT_OUT_TRACKING=true OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
mvn -B -q -o -pl runtime -am test-compile
mvn -B -q -o -pl runtime dependency:build-classpath -Dmdep.outputFile="$root/runtime/target/bench.cp" >/dev/null
cp="runtime/target/classes:runtime/target/test-classes:compiler/target/classes:grammar/target/classes:$(cat runtime/target/bench.cp)"
args=("$@")
[ ${#args[@]} -gt 0 ] || args=(3 2048 200 tds,tds-second)
table="$(mktemp)"
{
  echo '```'
  echo "runtime/accuracy-bench.sh ${args[*]}"
  echo '```'
  echo
  java -cp "$cp" -Dorg.slf4j.simpleLogger.defaultLogLevel=error dfl.runtime.sampler.AccuracyBench "${args[@]}"
} > "$table"
cat "$table"
python3 - "$table" docs/samplers.md <<'PY'
import sys
table, doc = open(sys.argv[1]).read(), sys.argv[2]
s = open(doc).read()
b, e = "<!-- accuracy-bench:begin -->", "<!-- accuracy-bench:end -->"
i, j = s.index(b) + len(b), s.index(e)
open(doc, "w").write(s[:i] + "\n" + table + s[j:])
PY
rm -f "$table"
