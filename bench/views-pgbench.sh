#!/usr/bin/env bash
# The serving views' SQL alone, as PostgreSQL runs it: a throwaway server of the machine's PostgreSQL
# (Debian's postgresql package: initdb, pg_ctl, psql, pgbench), this checkout's migrations applied in
# order, the ServingLoadBenchmark's data (50 symbols, a year of batch days and hours, a week of batch
# minutes, today's minutes so far in the speed layer and their rollups), then each query for N seconds
# from one client, unprepared and prepared. The API's symbol list (with its freshness) is read from ServingQueries itself.
# Usage: bench/views-pgbench.sh [seconds, default 5] [jit on|off, default off]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-5}"; jit="${2:-off}"
bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
[ -x "$bin/initdb" ] && command -v pgbench >/dev/null || { echo "needs PostgreSQL's server and pgbench (apt-get install postgresql)"; exit 1; }
work="$(mktemp -d /tmp/lambda-bench-views.XXXXXX)"
as_owner=(); if [ "$(id -u)" = 0 ]; then chown postgres "$work"; as_owner=(runuser -u postgres --); fi
port=$((20000 + RANDOM % 20000))
"${as_owner[@]}" "$bin/initdb" -D "$work/data" -U postgres -A trust >/dev/null
"${as_owner[@]}" "$bin/pg_ctl" -D "$work/data" -o "-p $port -k $work" -l "$work/log" -w start >/dev/null
trap '"${as_owner[@]}" "$bin/pg_ctl" -D "$work/data" -m fast stop >/dev/null; rm -rf "$work"' EXIT
psql=(psql -h "$work" -p "$port" -U postgres -v ON_ERROR_STOP=1 -q)
"${psql[@]}" -c "CREATE ROLE lambda_reader; CREATE SCHEMA lambda"
for migration in $(ls "$root"/lambda-common/src/main/resources/io/lambdatrades/common/migration/V*.sql | sort -V); do
  PGOPTIONS="-c search_path=lambda" "${psql[@]}" -f "$migration"
done
today="$(date -u +%Y-%m-%dT00:00:00Z)"
symbols="SELECT 'SYM' || lpad(s::text, 3, '0') AS symbol, s FROM generate_series(1, 50) s"
columns="symbol, exchange, instrument, bucket, open, high, low, close, volume, trades, notional, vwap, first_ts, first_partition, first_offset, last_ts, last_partition, last_offset"
row="sy.symbol, '', sy.symbol, b, 100 + s, 101 + s, 99 + s, 100.5 + s, 1000, 100, 1000 * (100 + s), 100 + s, b, 0, 0, b + interval '59 seconds', 0, 1"
partial="open, high, low, close, volume, trades, notional, first_ts, first_partition, first_offset, last_ts, last_partition, last_offset"
"${psql[@]}" <<SQL
INSERT INTO lambda.batch_daily ($columns, date) SELECT $row, (b AT TIME ZONE 'UTC')::date FROM ($symbols) sy
  CROSS JOIN generate_series(timestamptz '$today' - interval '365 days', timestamptz '$today' - interval '1 day', interval '1 day') b;
INSERT INTO lambda.batch_hourly ($columns) SELECT $row FROM ($symbols) sy
  CROSS JOIN generate_series(timestamptz '$today' - interval '365 days', timestamptz '$today' - interval '1 hour', interval '1 hour') b;
INSERT INTO lambda.batch_minute ($columns) SELECT $row FROM ($symbols) sy
  CROSS JOIN generate_series(timestamptz '$today' - interval '7 days', timestamptz '$today' - interval '1 minute', interval '1 minute') b;
INSERT INTO lambda.speed_minute (symbol, bucket, $partial) SELECT sy.symbol, b, 100 + s, 101 + s, 99 + s, 100.5 + s, 10, 5, 10 * (100 + s), b, 1, 0, b + interval '59 seconds', 1, 1
  FROM ($symbols) sy CROSS JOIN generate_series(timestamptz '$today', now() - interval '2 minutes', interval '1 minute') b;
UPDATE lambda.cutoff SET cutoff_ts = '$today';
INSERT INTO lambda.speed_hourly (symbol, bucket, $partial) SELECT * FROM lambda.speed_minutes_rolled_up('hour', '$today', 'infinity');
INSERT INTO lambda.speed_daily (symbol, bucket, $partial) SELECT * FROM lambda.speed_minutes_rolled_up('day', '$today', 'infinity');
SQL
"${psql[@]}" -c "VACUUM ANALYZE"
# What each speed commit adds to keep the symbol list (V17): a refresh of the symbols it wrote, here one;
# ANALYZE first so that the refresh is planned against the rows above.
if "${psql[@]}" -tAc "SELECT to_regproc('lambda.refresh_symbol_summaries') IS NOT NULL" | grep -q t; then
  "${psql[@]}" -c "SELECT lambda.refresh_symbol_summaries(NULL)"
  echo "SELECT lambda.refresh_symbol_summaries(ARRAY['SYM007']);" > "$work/refresh.sql"
  queries="latest symbols refresh daily minute"
else
  queries="latest symbols daily minute"
fi
python3 - "$root/lambda-serving/src/main/java/io/lambdatrades/serving/ServingQueries.java" "$root/lambda-common/src/main/java/io/lambdatrades/common/SpeedQueryNames.java" > "$work/symbols.sql" <<'PY'
import re, sys
source, names = open(sys.argv[1]).read(), open(sys.argv[2]).read()
block = lambda name: re.search(name + r' = """(.*?)"""', source, re.S).group(1).strip()
if 'SYMBOL_LIST = """' in source:
    # The symbol list with the views' freshness, as the API sends it: FRESHNESS formatted with the speed query names.
    name = lambda constant: re.search(constant + r' = "([^"]+)"', names).group(1)
    freshness = block("FRESHNESS").replace("'%s'", "'" + name("QUERY") + "'", 1).replace("'%s'", "'" + name("REAL_TIME_GROUPS") + "'", 1)
    print(block("SYMBOL_LIST").replace("%s", freshness) + ";")
else:
    print(block("SYMBOLS") + ";")
PY
day_ago="$(date -u -d '24 hours ago' +%Y-%m-%dT%H:%M:00Z)"; month_ago="$(date -u -d '29 days ago' +%Y-%m-%dT00:00:00Z)"
echo "SELECT * FROM lambda.serving_latest;" > "$work/latest.sql"
echo "SELECT * FROM lambda.serving_daily WHERE symbol = 'SYM007' AND bucket >= '$month_ago';" > "$work/daily.sql"
echo "SELECT * FROM lambda.serving_minute WHERE symbol = 'SYM007' AND bucket >= '$day_ago';" > "$work/minute.sql"
chmod a+r "$work"/*.sql
echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}'), jit $jit, one client, ${seconds} s a line; mean latency unprepared / prepared"
for query in $queries; do
  for mode in simple prepared; do
    latency_ms="$(PGOPTIONS="-c jit=$jit" pgbench -h "$work" -p "$port" -U postgres -n -M "$mode" -c 1 -T "$seconds" -f "$work/$query.sql" postgres 2>/dev/null | sed -n 's/latency average = //p')"
    printf -v "result_$mode" '%s' "$latency_ms"
  done
  printf '%-8s %s / %s\n' "$query" "$result_simple" "$result_prepared"
done
