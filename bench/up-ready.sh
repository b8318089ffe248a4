#!/usr/bin/env bash
# Seconds from `bin/lambda up` to every layer launched ("lambda up running" in lambda.log) and to
# `lambda status` saying healthy, for a fresh data directory and then for a second up on it.
# Usage: bench/up-ready.sh <lambda home> [data directory]   (run two homes in turns to compare builds)
set -euo pipefail
home="$(cd "$1" && pwd)"
dir="${2:-$(mktemp -d /tmp/lambda-bench-ready.XXXXXX)/data}"
"$home/bin/lambda" status --help >/dev/null  # build first, so that the build is not timed

launches() { grep -c "lambda up running" "$dir/logs/lambda.log" 2>/dev/null || echo 0; }

for start in fresh again; do
  before=$(launches)
  s=$(date +%s.%N)
  "$home/bin/lambda" up --data-dir "$dir" --port 0 > "$dir.out" 2>&1 &
  pid=$!
  until [ "$(launches)" -gt "$before" ]; do sleep 0.2; done
  running=$(echo "$(date +%s.%N) - $s" | bc)
  until "$home/bin/lambda" status --data-dir "$dir" --json 2>/dev/null | grep -q '"healthy" *: *true'; do sleep 1; done
  healthy=$(echo "$(date +%s.%N) - $s" | bc)
  # SIGTERM: a background job of a script ignores SIGINT.
  kill -TERM "$pid"; wait "$pid" || true
  printf '%s %s: launched %.1f s, healthy %.1f s\n' "$home" "$start" "$running" "$healthy"
done
