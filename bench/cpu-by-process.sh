#!/usr/bin/env bash
# CPU seconds of each process while a command runs, lambda JVMs named by their command: samples
# `ps` once a second and keeps each pid's last CPU time (a process that lives under a second is missed;
# one started before the command counts its whole CPU time: run it on a quiet machine).
# Usage: bench/cpu-by-process.sh <command...>
#   e.g. bench/cpu-by-process.sh ./mvnw -B -ntp -o verify -pl lambda-launcher -Dit.test=SchedulerUpIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false
set -euo pipefail
samples="$(mktemp)"
trap 'rm -f "$samples"' EXIT
(
  while true; do
    ps -eo pid=,times=,args= | awk '{pid=$1; t=$2; $1=""; $2=""; a=$0; i=index(a, "LambdaMain"); print pid, t, (i > 0 ? substr(a, i + 11) : substr(a, 2, 80))}'
    sleep 1
  done >> "$samples"
) &
sampler=$!
"$@" > /dev/null 2>&1 || echo "the command failed (exit $?)" >&2
kill "$sampler"
python3 - "$samples" <<'PY'
import sys
last = {}
for line in open(sys.argv[1]):
    pid, cpu, what = (line.rstrip("\n").split(" ", 2) + ["", ""])[:3]
    if cpu.isdigit():
        last[pid] = (int(cpu), what.strip()[:100])
for pid, (cpu, what) in sorted(last.items(), key=lambda item: -item[1][0]):
    if cpu > 0:
        print(f"{cpu:5d} s  {pid:>7}  {what}")
print(f"{sum(cpu for cpu, _ in last.values()):5d} s  in all")
PY
