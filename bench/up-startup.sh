#!/usr/bin/env bash
# Time from `bin/lambda up` to the first "ingesting" line and to the dashboard answering, and peak
# resident memory of the whole process tree (the JVMs plus every PostgreSQL process) over the
# following N seconds of ingesting.
# Usage: bench/up-startup.sh [seconds-to-sample] [extra up options...]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-30}"; shift || true
data="$(mktemp -d /tmp/lambda-bench-up.XXXXXX)"
out="$data.out"
"$root/bin/lambda" status --help >/dev/null  # build first, so that the build is not timed

start=$(date +%s.%N)
"$root/bin/lambda" up --data-dir "$data" "$@" >"$out" 2>&1 &
pid=$!
until grep -q ingesting "$out"; do
  kill -0 "$pid" 2>/dev/null || { cat "$out"; exit 1; }
  sleep 0.05
done
ready=$(date +%s.%N)
until [ -f "$data/run/serving.json" ] && curl -sf -o /dev/null "$(sed -n 's/.*"url" *: *"\([^"]*\)".*/\1/p' "$data/run/serving.json")/"; do
  kill -0 "$pid" 2>/dev/null || { cat "$out"; exit 1; }
  sleep 0.1
done
dashboard=$(date +%s.%N)

tree_rss_kb() {
  local pids="$pid"
  if [ -f "$data/postgres/postmaster.pid" ]; then
    local pm; pm=$(head -1 "$data/postgres/postmaster.pid")
    pids="$pids $pm $(pgrep -P "$pm" | tr '\n' ' ')"
  fi
  pids="$pids $(pgrep -P "$pid" | tr '\n' ' ')"
  ps -o rss= -p "$(echo $pids | tr ' ' ',')" | awk '{s+=$1} END {print s}'
}
peak=0; jvm_peak=0
for _ in $(seq "$seconds"); do
  rss=$(tree_rss_kb); [ "$rss" -gt "$peak" ] && peak=$rss
  jvm=$(ps -o rss= -p "$pid" | tr -d ' '); [ "$jvm" -gt "$jvm_peak" ] && jvm_peak=$jvm
  sleep 1
done
# A background job of a script ignores SIGINT; SIGTERM takes the same orderly stop.
kill -TERM "$pid"; wait "$pid" || true

printf 'up -> ingesting: %.1f s\n' "$(echo "$ready - $start" | bc)"
printf 'up -> dashboard answering: %.1f s\n' "$(echo "$dashboard - $start" | bc)"
printf 'peak RSS over %s s: process tree %d MiB (JVM %d MiB)\n' "$seconds" $((peak / 1024)) $((jvm_peak / 1024))
grep -E '^ingesting' "$out" | tail -1
rm -rf "$data" "$out"
