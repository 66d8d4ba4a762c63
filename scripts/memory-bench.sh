#!/usr/bin/env bash
# Peak memory (max RSS) of `dfl run` over the number of steps T, and what trimming glibc's heaps costs (issue 15):
#  1. examples/toy/posterior2d.dfl (exact mixture prior, d = 2) with K particles, for each T, side by side:
#     trim-off         the launcher's malloc settings, NativeHeapTrim off (-Ddfl.malloc.trim=false): before
#     trim             the launcher's malloc settings and NativeHeapTrim as shipped (malloc_trim once grown by the slack)
#     trim-always      malloc_trim after every step (-Ddfl.malloc.trim=always)
#     glibc-trim       glibc's default malloc settings (DFL_MALLOC=default) and NativeHeapTrim as shipped
#  2. examples/mnist/card.dfl (MNIST U-Net and classifier, K = 16, T = 100) with trim-off, trim and trim-always:
#     the run's seconds and network_seconds from summary.json.
# Prints one line per run: setting, T, wall seconds, CPU seconds (user + system), peak RSS, and for card.dfl the run's
# and the network's seconds. Seconds are only comparable on an otherwise idle machine; CPU seconds suffer less from load.
# The Java heap is fixed and touched up front (-Xms300m -Xmx300m -XX:+AlwaysPreTouch), so that what changes with T and
# between settings is native memory, not how far the JVM chose to grow its heap (which depends on the machine's load);
# DFL_JAVA_OPTS replaces these options.
#
# usage: scripts/memory-bench.sh [K] [T ...]       default: K = 100000, T = 5 100 1000 (the T = 1000 runs take minutes)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
k="${1:-100000}"; shift || true
steps=("$@"); [ ${#steps[@]} -gt 0 ] || steps=(5 100 1000)
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (GNU time)" >&2; exit 1; }
"$root/dfl" check "$root/examples/toy/posterior2d.dfl" >/dev/null  # builds once, outside the measurements
out="$(mktemp -d)"; trap 'rm -rf "$out"' EXIT
java_opts="${DFL_JAVA_OPTS:--Xms300m -Xmx300m -XX:+AlwaysPreTouch}"

# run SETTING ARGS...: runs dfl with the setting's environment; prints "wall cpu peak-MB"
run() {
  local setting="$1"; shift
  local envs=(DFL_MALLOC=launcher) trim=true
  case "$setting" in
    trim-off) trim=false ;;
    trim-always) trim=always ;;
    glibc-trim) envs=(DFL_MALLOC=default) ;;  # the launcher leaves glibc's malloc settings alone
  esac
  local line secs user sys kb
  line="$(env "${envs[@]}" DFL_JAVA_OPTS="$java_opts -Ddfl.malloc.trim=$trim" /usr/bin/time -f '%e %U %S %M' \
    "$root/dfl" run "$@" --out "$out/run" --quiet --no-warnings 2>&1 >/dev/null | tail -1)"
  read -r secs user sys kb <<<"$line"
  printf '%s %.1f %d' "$secs" "$(echo "$user + $sys" | bc)" "$((kb / 1024))"
}

echo "JVM options: $java_opts"
echo "posterior2d, K = $k"
printf '%-12s %6s %8s %8s %12s\n' setting T wall-s cpu-s "peak RSS MB"
for t in "${steps[@]}"; do
  for setting in trim-off trim trim-always glibc-trim; do
    read -r secs cpu mb <<<"$(run "$setting" "$root/examples/toy/posterior2d.dfl" --particles "$k" --steps "$t")"
    printf '%-12s %6s %8s %8s %12s\n' "$setting" "$t" "$secs" "$cpu" "$mb"
  done
done

echo
echo "card.dfl (K = 16, T = 100); seconds and network_seconds from summary.json"
printf '%-12s %8s %8s %12s %9s %11s\n' setting wall-s cpu-s "peak RSS MB" seconds network-s
for setting in trim-off trim trim-always; do
  read -r secs cpu mb <<<"$(run "$setting" "$root/examples/mnist/card.dfl")"
  read -r s n <<<"$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("%.1f %.1f" % (d["seconds"], d["network_seconds"]))' \
    "$out/run/summary.json")"
  printf '%-12s %8s %8s %12s %9s %11s\n' "$setting" "$secs" "$cpu" "$mb" "$s" "$n"
done
