#!/usr/bin/env bash
# Time from `bin/lambda up --history-days N` to the dashboard's API showing the N past days as batch
# rows and today from the speed layer, for every symbol of the simulated market.
# Usage: bench/history-days.sh [days, default 3] [extra up options...]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
days="${1:-3}"; shift || true
data="$(mktemp -d /tmp/lambda-bench-history.XXXXXX)"
out="$data.out"
"$root/bin/lambda" status --help >/dev/null  # build first, so that the build is not timed

start=$(date +%s.%N)
"$root/bin/lambda" up --data-dir "$data" --history-days "$days" --port 0 "$@" >"$out" 2>&1 &
pid=$!
from=$(date -u -d "-$days days" +%F); today=$(date -u +%F)
shown() {
  [ -f "$data/run/serving.json" ] || return 1
  local url; url=$(sed -n 's/.*"url" *: *"\([^"]*\)".*/\1/p' "$data/run/serving.json")
  local symbols; symbols=$(curl -sf "$url/api/v1/symbols") || return 1
  /usr/bin/python3 - "$url" "$from" "$today" "$days" "$symbols" <<'EOF'
import json, sys, urllib.parse, urllib.request
url, first, today, days, symbols = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), json.loads(sys.argv[5])
names = [s['symbol'] for s in (symbols['symbols'] if isinstance(symbols, dict) else symbols)]
if not names:
    sys.exit(1)
for name in names:
    rows = json.load(urllib.request.urlopen(f"{url}/api/v1/symbols/{urllib.parse.quote(name, safe='')}/daily?from={first}&to={today}"))['rows']
    batch = [r for r in rows if r['source'] == 'batch' and r['date'] < today]
    live = [r for r in rows if r['date'] == today and r['source'] in ('speed', 'merged')]
    if len(batch) < days or not live:
        sys.exit(1)
EOF
}
until shown; do
  kill -0 "$pid" 2>/dev/null || { cat "$out"; exit 1; }
  sleep 2
done
done_at=$(date +%s.%N)
trades=$("$root/bin/lambda" status --data-dir "$data" --json | python3 -c "import json,sys; print(json.load(sys.stdin)['topics']['trades']['records'])")
"$root/bin/lambda" batch history --data-dir "$data" --limit 3
kill -TERM "$pid"; wait "$pid" || true
printf 'up --history-days %s -> %s days of batch rows and a live today for every symbol: %.1f s (%d trades in Kafka by then)\n' \
  "$days" "$days" "$(echo "$done_at - $start" | bc)" "$trades"
rm -rf "$data" "$out"
