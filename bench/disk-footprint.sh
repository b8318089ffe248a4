#!/usr/bin/env bash
# Disk per million trades in each place the system keeps them: Kafka's log, the speed layer's
# PostgreSQL tables (before a publish deletes them), the master dataset, the Parquet views and the
# batch tables. Runs `bin/lambda up` on a simulated day of history, the scheduler off so that the
# speed layer holds every trade, then one batch run; then `lambda audit` as the check and its time.
# Usage: bench/disk-footprint.sh [history trades per simulated second, default 12 (about 1,040,000 a day)]
set -euo pipefail
command -v psql >/dev/null || { echo "needs psql (apt-get install postgresql-client)"; exit 1; }
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rate="${1:-12}"
data="$(mktemp -d /tmp/lambda-bench-disk.XXXXXX)"
out="$data.out"
"$root/bin/lambda" status --help >/dev/null  # build first

export LAMBDA_SCHEDULER_ENABLED=false LAMBDA_SERVING_ENABLED=false LAMBDA_INGEST_HISTORY_RATE="$rate" LAMBDA_INGEST_RATE=1
"$root/bin/lambda" up --data-dir "$data" --history-days 1 --port 0 >"$out" 2>&1 &
pid=$!
status() { "$root/bin/lambda" status --data-dir "$data" --json 2>/dev/null || true; }
field() { /usr/bin/python3 -c "import json,sys; j=json.load(sys.stdin); print(eval('j' + sys.argv[1]))" "$1"; }
# The history is written, and the speed layer has read every record.
ready() { /usr/bin/python3 -c "import json,sys; j=json.load(sys.stdin); print('ready' if j['topics']['trades']['records'] > 0.95 * 86400 * $rate and (j.get('speed') or {}).get('lag') == 0 else 'waiting')" 2>/dev/null; }
until [ "$(status | ready)" = ready ]; do
  kill -0 "$pid" 2>/dev/null || { cat "$out"; exit 1; }
  sleep 5
done
json="$(status)"
jdbc=$(echo "$json" | field "['postgres']['jdbcUrl']")
port=$(echo "$jdbc" | sed 's|.*:\([0-9]*\)/.*|\1|')
sql() { psql -h 127.0.0.1 -p "$port" -U postgres -d postgres -At -c "$1"; }
trades=$(sql "SELECT count(*) FROM lambda.speed_trades")
kafka_kb=$(du -sk "$data"/kafka/trades-[0-9]* | awk '{s+=$1} END {print s}')
speed_kb=$(( $(sql "SELECT pg_total_relation_size('lambda.speed_trades') + pg_total_relation_size('lambda.speed_minute')") / 1024 ))

start=$(date +%s.%N)
"$root/bin/lambda" batch run --data-dir "$data" >"$data.batch" 2>&1
batch_s=$(echo "$(date +%s.%N) - $start" | bc)
master_kb=$(du -sk "$data/warehouse/lambda.db/trades_raw" | cut -f1)
views_kb=$(du -sk "$data/views" | cut -f1)
batch_tables_kb=$(( $(sql "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'lambda' AND c.relkind = 'r' AND c.relname LIKE 'batch\_%' AND c.relname NOT IN ('batch_runs', 'batch_task_runs', 'batch_dirty_dates')") / 1024 ))
minutes=$(sql "SELECT count(*) FROM lambda.batch_minute")

start=$(date +%s.%N)
"$root/bin/lambda" audit --data-dir "$data" >"$data.audit" 2>&1 && audit_result=equal || audit_result="DIFFERENCES (exit $?)"
audit_s=$(echo "$(date +%s.%N) - $start" | bc)

kill -TERM "$pid"; wait "$pid" || true
per_million() { echo "scale=1; $1 * 1000000 / $trades / 1024" | bc; }
printf 'trades: %d (one simulated day), %d minute rows\n' "$trades" "$minutes"
printf '%-40s %10s %14s\n' place KiB "MiB/1M trades"
printf '%-40s %10d %14s\n' "Kafka log (lz4, 1 replica)" "$kafka_kb" "$(per_million "$kafka_kb")"
printf '%-40s %10d %14s\n' "PostgreSQL speed_trades + speed_minute" "$speed_kb" "$(per_million "$speed_kb")"
printf '%-40s %10d %14s\n' "master dataset (Avro)" "$master_kb" "$(per_million "$master_kb")"
printf '%-40s %10d %14s\n' "Parquet views (all grains)" "$views_kb" "$(per_million "$views_kb")"
printf '%-40s %10d %14s\n' "PostgreSQL batch_* tables" "$batch_tables_kb" "$(per_million "$batch_tables_kb")"
printf 'batch run (cold, absorb + views + publish): %.1f s\n' "$batch_s"
printf 'lambda audit (every day): %.1f s, %s\n' "$audit_s" "$audit_result"
rm -rf "$data" "$out" "$data.batch" "$data.audit"
