#!/usr/bin/env bash
# A batch run as the scheduler starts it (a cold JVM per run, through its queue) beside a manual
# `lambda batch run` of the same data, each on a day of N trades and then on a day with nothing new.
# Both under `lambda up` on a replay of the same N trades of yesterday (speed and serving layers off,
# so that the machine is quiet). Prints the wall time of each run and where it went.
# Usage: bench/scheduled-run.sh [trades, default 1000000]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
trades="${1:-1000000}"
work="$(mktemp -d /tmp/lambda-bench-scheduled.XXXXXX)"
day="$(date -u -d yesterday +%Y-%m-%d)"
"$root/bin/lambda" status --help >/dev/null  # build first, so that the build is not timed

python3 - "$work/replay.ndjson" "$day" "$trades" <<'PY'
import json, random, sys, datetime
path, day, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
start = int(datetime.datetime.fromisoformat(day + "T00:00:00+00:00").timestamp() * 1000)
symbols = ["AAPL", "MSFT", "AMZN", "NVDA", "TSLA", "META", "GOOGL", "BINANCE:BTCUSDT", "BINANCE:ETHUSDT", "OANDA:EUR_USD"]
rng = random.Random(7)
prices = {s: 100.0 + 10 * i for i, s in enumerate(symbols)}
with open(path, "w") as out:
    for frame in range(count // 50):
        data = []
        for _ in range(50):
            s = rng.choice(symbols)
            prices[s] *= 1 + rng.gauss(0, 0.0005)
            data.append({"p": round(prices[s], 4), "s": s, "t": start + rng.randrange(86_400_000), "v": rng.randint(1, 500)})
        out.write(json.dumps({"data": data, "type": "trade"}) + "\n")
PY

status() { "$root/bin/lambda" status --data-dir "$1" --json 2>/dev/null || true; }
records() { status "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["topics"]["trades"]["records"])' 2>/dev/null || echo 0; }

start_up() {  # data-dir, scheduler enabled
  LAMBDA_SPEED_ENABLED=false LAMBDA_SERVING_ENABLED=false LAMBDA_SCHEDULER_ENABLED="$2" LAMBDA_BATCH_DELAY=3d \
    "$root/bin/lambda" up --data-dir "$1" --source replay --replay "$work/replay.ndjson" --speed max >"$1.out" 2>&1 &
  echo $! >"$1.pid"
  until [ "$(records "$1")" -ge "$trades" ]; do sleep 1; done
}
stop_up() { kill -TERM "$(cat "$1.pid")"; wait "$(cat "$1.pid")" || true; }

timed_run() {  # label, data-dir
  local begin end
  begin=$(date +%s.%N)
  "$root/bin/lambda" batch run --period "$day" --data-dir "$2" >"$work/run.out" 2>&1
  end=$(date +%s.%N)
  printf '%-44s %6.1f s wall\n' "$1" "$(echo "$end - $begin" | bc)"
  sed 's/^/    /' "$work/run.out" | grep -E 'JVM started|spark +session|absorb .*absorbed|no new records|views +|published|succeeded' || true
}

echo "== manual lambda batch run (this JVM runs it), $trades trades on $day"
start_up "$work/manual" false
timed_run "manual, a day of $trades trades" "$work/manual"
timed_run "manual, nothing new" "$work/manual"
stop_up "$work/manual"

echo "== the scheduler's run (queued; a cold JVM started by the scheduler)"
start_up "$work/scheduled" true
timed_run "scheduled, a day of $trades trades" "$work/scheduled"
grep -E 'JVM started|spark +session|absorb .*absorbed|no new records|views +|published|succeeded' "$work/scheduled/logs/batch.out" | sed 's/^/    child: /'
: >"$work/scheduled/logs/batch.out"
timed_run "scheduled, nothing new" "$work/scheduled"
grep -E 'JVM started|spark +session|absorb|views +|published|succeeded' "$work/scheduled/logs/batch.out" | sed 's/^/    child: /'
"$root/bin/lambda" batch history --data-dir "$work/scheduled" --limit 2
stop_up "$work/scheduled"
rm -rf "$work"
