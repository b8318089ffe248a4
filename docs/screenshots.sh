#!/usr/bin/env bash
# The documentation's screenshots, from a real `up` (two simulated days of history, then the live
# simulated market), taken by headless Chromium as a user's browser would draw them.
# Usage: docs/screenshots.sh [symbol to open, default AAPL]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
symbol="${1:-AAPL}"
data="$(mktemp -d /tmp/lambda-screenshots.XXXXXX)"
"$root/bin/lambda" status --help >/dev/null  # build first

"$root/bin/lambda" up --data-dir "$data" --history-days 2 --port 0 >"$data.out" 2>&1 &
pid=$!
trap 'kill -TERM "$pid" 2>/dev/null; wait "$pid" || true; rm -rf "$data" "$data.out" "$data.profile"' EXIT

# Ready: the past days closed by a batch run, the speed layer caught up, the serving layer answering.
ready() {
  "$root/bin/lambda" status --data-dir "$data" --json 2>/dev/null | python3 -c "
import json, sys
j = json.load(sys.stdin)
runs = (j.get('batch') or {}).get('runs') or (j.get('batch') or {}).get('lastRuns') or []
print('ready' if (j.get('speed') or {}).get('lag', 1) < 1000 and any(r.get('state') == 'success' for r in runs) else 'waiting')" 2>/dev/null || true
}
echo "waiting for up to close the past days (a few minutes)..."
until [ "$(ready)" = ready ] && [ -f "$data/run/serving.json" ]; do
  kill -0 "$pid" 2>/dev/null || { cat "$data.out"; exit 1; }
  sleep 5
done
sleep 60  # a minute of live trades, so that today's candles and the latest trades are not empty
url=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['url'])" "$data/run/serving.json")
encoded=$(python3 -c "import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))" "$symbol")

# Chromium through its driver's WebDriver protocol (plain HTTP): each page is taken once its data is drawn.
python3 - "$url" "$data.profile" "$root/docs" \
  "dashboard.png|1600,1000|/?symbol=$encoded&interval=1m|#trades-table tbody tr" \
  "pipeline.png|1500,1000|/?symbol=$encoded&interval=1m#pipeline|#runs-table tbody tr;#layers > *" <<'PY'
import base64, json, socket, subprocess, sys, time, urllib.request

def call(base, method, path, body=None):
    request = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                     headers={'Content-Type': 'application/json'})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)['value']

def until(condition, what):
    deadline = time.time() + 60
    while not condition():
        if time.time() > deadline:
            sys.exit(f'screenshots: {what} within 60 s')
        time.sleep(0.5)

url, profile, out = sys.argv[1:4]
probe = socket.socket(); probe.bind(('127.0.0.1', 0)); port = probe.getsockname()[1]; probe.close()
driver = subprocess.Popen(['chromedriver', f'--port={port}'], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
base = f'http://127.0.0.1:{port}'
try:
    def answers():
        try:
            return call(base, 'GET', '/status')['ready']
        except OSError:
            return False
    until(answers, 'chromedriver did not answer')
    options = {'binary': '/usr/bin/chromium', 'args': ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars',
                                                       '--disable-dev-shm-usage', f'--user-data-dir={profile}']}
    session = '/session/' + call(base, 'POST', '/session', {'capabilities': {'alwaysMatch': {'goog:chromeOptions': options}}})['sessionId']
    script = lambda source: call(base, 'POST', session + '/execute/sync', {'script': source, 'args': []})
    for name, size, address, drawn in (shot.split('|') for shot in sys.argv[4:]):
        width, height = map(int, size.split(','))
        call(base, 'POST', session + '/window/rect', {'width': width, 'height': height})
        # The window's frame takes part of its height: grow it until the page itself has the size asked for.
        inner = script('return window.innerHeight')
        call(base, 'POST', session + '/window/rect', {'width': width, 'height': 2 * height - inner})
        call(base, 'POST', session + '/url', {'url': url + address})
        # Drawn: each of the page's ';'-separated selectors matches something.
        until(lambda: script(f'return {json.dumps(drawn.split(";"))}.every(s => document.querySelector(s) !== null)'), f'{name}: not all of {drawn} drawn')
        time.sleep(2)  # the charts' animation
        with open(f'{out}/{name}', 'wb') as file:
            file.write(base64.b64decode(call(base, 'GET', session + '/screenshot')))
        print(f'docs/{name}: {url}{address} at {size}')
    call(base, 'DELETE', session)
finally:
    driver.terminate()
PY
