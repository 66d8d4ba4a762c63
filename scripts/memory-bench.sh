#!/usr/bin/env bash
# Peak memory (max RSS) of `dfl run` over the number of steps T, side by side: glibc's default malloc, the launcher's
# malloc settings, and those with a 64 KB mmap threshold (issue 15, item 8). Prints one line per run: setting, T, seconds,
# peak RSS. Seconds are only comparable on an otherwise idle machine.
#
# usage: scripts/memory-bench.sh [K] [T ...]       default: K = 100000, T = 5 100 1000 (the T = 1000 runs take minutes)
# model: examples/toy/posterior2d.dfl (exact mixture prior, d = 2); extra JVM options through DFL_JAVA_OPTS.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
k="${1:-100000}"; shift || true
steps=("$@"); [ ${#steps[@]} -gt 0 ] || steps=(5 100 1000)
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (GNU time)" >&2; exit 1; }
"$root/dfl" check "$root/examples/toy/posterior2d.dfl" >/dev/null  # builds once, outside the measurements
out="$(mktemp -d)"; trap 'rm -rf "$out"' EXIT
printf '%-18s %6s %9s %12s\n' setting T seconds "peak RSS MB"
for t in "${steps[@]}"; do
  for setting in glibc-default launcher launcher-mmap64k; do
    envs=(DFL_MALLOC=launcher)
    # DFL_MALLOC=default makes the launcher leave glibc's malloc settings alone; the user's own values win over its settings
    [ "$setting" = glibc-default ] && envs=(DFL_MALLOC=default)
    [ "$setting" = launcher-mmap64k ] && envs=(MALLOC_MMAP_THRESHOLD_=65536)
    line="$(env "${envs[@]}" /usr/bin/time -f '%e %M' "$root/dfl" run "$root/examples/toy/posterior2d.dfl" --particles "$k" \
      --steps "$t" --out "$out/run" --quiet --no-warnings 2>&1 >/dev/null | tail -1)"
    read -r secs kb <<<"$line"
    printf '%-18s %6s %9s %12d\n' "$setting" "$t" "$secs" "$((kb / 1024))"
  done
done
