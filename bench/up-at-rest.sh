#!/usr/bin/env bash
# CPU that a running `up` costs at rest: each process of its tree (the JVMs, PostgreSQL's postmaster and
# backends), in % of a core over 30 s, measured after it has run for a while.
# Usage: bench/up-at-rest.sh [seconds to run first, default 180] [extra up options...]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
warmup="${1:-180}"; shift || true
data="$(mktemp -d /tmp/lambda-bench-rest.XXXXXX)"
"$root/bin/lambda" status --help >/dev/null  # build first

"$root/bin/lambda" up --data-dir "$data" --port 0 "$@" >"$data.out" 2>&1 &
pid=$!
sleep "$warmup"

# "layer pid ticks" for every process of the tree: up's JVM, its child JVMs, PostgreSQL and its backends.
ticks() {
  local postmaster; postmaster=$(head -1 "$data/postgres/postmaster.pid" 2>/dev/null || echo none)
  for stat in /proc/[0-9]*/stat; do
    local dir=${stat%/stat} line; line=$(cat "$stat" 2>/dev/null) || continue
    # shellcheck disable=SC2086
    set -- ${line##*) }
    local self=${dir#/proc/} parent=$2 name=""
    if [ "$self" = "$pid" ]; then name=up
    elif [ "$parent" = "$pid" ]; then name=$(tr '\0' ' ' <"$dir/cmdline" 2>/dev/null | sed -n 's/.*LambdaMain \([a-z]*\).*/\1/p')
    elif [ "$self" = "$postmaster" ] || [ "$parent" = "$postmaster" ]; then name=postgres
    fi
    if [ -n "$name" ]; then echo "$name $self $(( ${12} + ${13} ))"; fi
  done
}
ticks >"$data.before"; sleep 30; ticks >"$data.after"
kill -TERM "$pid"; wait "$pid" || true
echo "CPU at rest after ${warmup} s (% of a core over 30 s; LAMBDA_JAVA_OPTS='${LAMBDA_JAVA_OPTS:-}'):"
# Per process: a backend that ended in between is left out, one that started counts from 0.
awk 'NR == FNR {before[$2] = $3; next} {ticks[$1] += $3 - before[$2]}
     END {for (name in ticks) {total += ticks[name] / 30; printf "  %-10s %4.0f%%\n", name, ticks[name] / 30}; printf "  %-10s %4.0f%%\n", "total", total}' \
  "$data.before" "$data.after"
rm -rf "$data" "$data.out" "$data.before" "$data.after"
