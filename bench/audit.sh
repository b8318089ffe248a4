#!/usr/bin/env bash
# Time of `lambda audit` of every day on a system with days of history, for one or more builds side
# by side in one run: `up` from the first build, then each build's audit in turn, twice.
# Usage: bench/audit.sh [history trades per simulated second, default 6 (about 1.55 M over 3 days)] [other lambda checkout...]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rate="${1:-6}"; shift || true
roots=("$root" "$@")
data="$(mktemp -d /tmp/lambda-bench-audit.XXXXXX)"
out="$data.out"
for build in "${roots[@]}"; do "$build/bin/lambda" status --help >/dev/null; done  # build first

# The oldest build starts the system, so that every build's migrations can run on its schema.
starter="${roots[${#roots[@]}-1]}"
LAMBDA_INGEST_HISTORY_RATE="$rate" "$starter/bin/lambda" up --data-dir "$data" --history-days 3 --port 0 >"$out" 2>&1 &
pid=$!
ready() {
  "$root/bin/lambda" status --data-dir "$data" --json 2>/dev/null | /usr/bin/python3 -c "
import json, sys
j = json.load(sys.stdin)
runs = (j.get('batch') or {}).get('runs') or (j.get('batch') or {}).get('lastRuns') or []
print('ready' if (j.get('speed') or {}).get('lag', 1) < 1000 and any(r.get('state') == 'success' for r in runs) else 'waiting')" 2>/dev/null || true
}
until [ "$(ready)" = ready ]; do
  kill -0 "$pid" 2>/dev/null || { cat "$out"; exit 1; }
  sleep 5
done
trades=$("$root/bin/lambda" status --data-dir "$data" --json | python3 -c "import json,sys; print(json.load(sys.stdin)['topics']['trades']['records'])")
echo "trades in Kafka: $trades"
for round in 1 2; do
  for build in "$starter" "${roots[@]:0:${#roots[@]}-1}"; do
    start=$(date +%s.%N)
    "$build/bin/lambda" audit --data-dir "$data" >"$data.audit" 2>&1 && result=passed || result="failed (exit $?)"
    printf '%-40s round %d: %6.1f s, %s\n' "$build" "$round" "$(echo "$(date +%s.%N) - $start" | bc)" "$result"
    tail -4 "$data.audit" | sed 's/^/    /'
  done
done
kill -TERM "$pid"; wait "$pid" || true
rm -rf "$data" "$out" "$data.audit"
