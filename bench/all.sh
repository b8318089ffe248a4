#!/usr/bin/env bash
# Every benchmark whose figures docs/benchmarks.md gives, one after another on this build, each with the
# command written beside its figures there; each one's output in <out>/<n>-<name>.log and the start and end
# of each in <out>/times. Takes about 45 minutes: run it on a quiet machine (nothing else running).
# Usage: bench/all.sh [out directory, default target/bench-all]
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out="${1:-target/bench-all}"
mkdir -p "$out"
runs=(
  "ingest-throughput|bench/ingest-throughput.sh 2000000 5"
  "finnhub-ingest|bench/finnhub-ingest.sh 1000000 1000 30"
  "batch-throughput|bench/run.sh BatchThroughputBenchmark 10000000 5"
  "scheduled-run|bench/scheduled-run.sh 1000000"
  "speed-delay|bench/run.sh SpeedDelayBenchmark 30 10000"
  "speed-sustained|bench/run.sh SpeedDelayBenchmark sustained 50000 300"
  "serving-freshness|bench/run.sh ServingFreshnessBenchmark 30 1000"
  "serving-load|bench/run.sh ServingLoadBenchmark 20 1000"
  "up-startup|bench/up-startup.sh 30"
  "history-days|bench/history-days.sh 3"
  "up-at-rest|bench/up-at-rest.sh 180"
  "audit|bench/audit.sh 7"
  "disk-footprint|bench/disk-footprint.sh 12"
)
n=0
for run in "${runs[@]}"; do
  n=$((n + 1))
  name="${run%%|*}"
  command="${run#*|}"
  log="$out/$(printf '%02d' "$n")-$name.log"
  echo "$(date -u +%H:%M:%S) start $name: $command" | tee -a "$out/times"
  $command > "$log" 2>&1
  echo "$(date -u +%H:%M:%S) end   $name: exit $?" | tee -a "$out/times"
done
