// The dashboard: REST for history, the SSE stream for live updates. No build step.
'use strict';

const state = {
  symbols: new Map(),      // symbol -> summary from /api/v1/symbols, updated by the stream
  selected: null,
  tradesSymbol: null,      // whose trades the trades table shows: live trades join it only when they are the selected symbol's
  interval: '1m',
  candles: [],             // rows of the chart, in bucket order
  freshness: null,
  reloadTimer: null,
};
const chart = echarts.init(document.getElementById('chart'), 'dark', { renderer: 'canvas' });
const fmt = (value, digits) => value == null || Number.isNaN(value) ? '–'
  : Number(value).toLocaleString('en-US', { minimumFractionDigits: digits ?? 2, maximumFractionDigits: digits ?? 2 });
const signed = (value, digits) => value == null ? '–' : (value > 0 ? '+' : '') + fmt(value, digits);
// Each instrument in the decimals its market quotes: a stock to the cent, FX to five places (three
// against the yen), crypto by the size of its price.
const CRYPTO_EXCHANGES = new Set(['BINANCE', 'COINBASE', 'KRAKEN', 'BITFINEX', 'BITSTAMP', 'GEMINI', 'HUOBI', 'POLONIEX', 'BYBIT', 'OKX', 'KUCOIN', 'BITMEX']);
const FX_EXCHANGES = new Set(['OANDA', 'FXCM', 'FOREX', 'FX', 'FX_IDC', 'IC MARKETS', 'PEPPERSTONE']);
function decimals(symbol, price) {
  const colon = symbol ? symbol.indexOf(':') : -1;
  const exchange = colon < 0 ? '' : symbol.substring(0, colon).toUpperCase();
  if (FX_EXCHANGES.has(exchange)) return /JPY/.test(symbol) ? 3 : 5;
  if (CRYPTO_EXCHANGES.has(exchange)) {
    const size = Math.abs(price ?? 0);
    return size >= 1000 ? 2 : size >= 1 ? 4 : size >= 0.01 ? 6 : 8;
  }
  return 2;
}
const price = (symbol, value, reference) => fmt(value, decimals(symbol, reference ?? value));
const change = (symbol, value, reference) => signed(value, decimals(symbol, reference));
const cls = value => value == null || value === 0 ? '' : value > 0 ? 'up' : 'down';
const api = path => fetch(path).then(response => response.ok ? response.json() : Promise.reject(new Error(path + ': ' + response.status)));
const enc = symbol => encodeURIComponent(symbol);

function sparkline(values) {
  if (!values || values.length < 2) return '';
  const width = 90, height = 22, min = Math.min(...values), max = Math.max(...values), span = max - min || 1;
  const points = values.map((v, i) => `${(i * width / (values.length - 1)).toFixed(1)},${(height - 2 - (v - min) * (height - 4) / span).toFixed(1)}`).join(' ');
  const colour = values[values.length - 1] >= values[0] ? 'var(--up)' : 'var(--down)';
  return `<svg class="spark" width="${width}" height="${height}"><polyline fill="none" stroke="${colour}" stroke-width="1.3" points="${points}"/></svg>`;
}

function renderSymbols() {
  const body = document.querySelector('#symbol-table tbody');
  document.getElementById('no-symbols').hidden = state.symbols.size > 0;
  const rows = [];
  for (const s of state.symbols.values()) {
    rows.push(`<tr data-symbol="${s.symbol}" class="${s.symbol === state.selected ? 'selected' : ''}">
      <td>${s.symbol}</td><td class="num price">${price(s.symbol, s.price)}</td>
      <td class="num ${cls(s.change)}">${change(s.symbol, s.change, s.price)}</td><td class="num ${cls(s.pctChange)}">${s.pctChange == null ? '–' : signed(s.pctChange, 2) + '%'}</td>
      <td class="num">${fmt(s.dayVolume, 0)}</td><td>${sparkline(s.sparkline)}</td></tr>`);
  }
  body.innerHTML = rows.join('');
}

function renderDetailHead() {
  const s = state.symbols.get(state.selected);
  document.getElementById('detail-symbol').textContent = state.selected ?? '–';
  if (!s) return;
  document.getElementById('detail-price').textContent = price(s.symbol, s.price);
  const changeCell = document.getElementById('detail-change');
  changeCell.textContent = `${change(s.symbol, s.change, s.price)} (${s.pctChange == null ? '–' : signed(s.pctChange, 2) + '%'})`;
  changeCell.className = cls(s.change);
  document.getElementById('detail-high').textContent = price(s.symbol, s.dayHigh, s.price);
  document.getElementById('detail-low').textContent = price(s.symbol, s.dayLow, s.price);
  document.getElementById('detail-vwap').textContent = price(s.symbol, s.dayVwap, s.price);
  document.getElementById('detail-volume').textContent = fmt(s.dayVolume, 0);
}

function renderFreshness() {
  const f = state.freshness;
  if (!f) return;
  const cutoff = document.getElementById('badge-cutoff');
  cutoff.textContent = 'cutoff ' + (f.cutoffMs > 0 ? f.cutoff.replace('T', ' ').replace(':00Z', 'Z') : 'none yet');
  const duration = ms => ms < 10000 ? ms + ' ms' : ms < 120000 ? Math.round(ms / 1000) + ' s' : Math.round(ms / 60000) + ' min';
  // The speed layer's own delay, at its last commit: a quiet feed does not make it grow.
  const delay = document.getElementById('badge-delay');
  delay.textContent = 'speed ' + (f.speedDelayMs == null ? '–' : duration(f.speedDelayMs));
  delay.className = 'badge ' + (f.speedDelayMs == null ? '' : f.speedDelayMs < 2000 ? 'ok' : f.speedDelayMs < 30000 ? 'warn' : 'bad');
  // The feed's silence, apart: a market at rest, or trades that stopped coming; never the speed layer's fault by itself.
  const last = document.getElementById('badge-last');
  const quiet = f.feedSilenceMs != null && f.feedSilenceMs >= 10000;
  last.textContent = quiet ? 'feed quiet ' + duration(f.feedSilenceMs) : 'last trade ' + (f.lastTradeAt ? f.lastTradeAt.substring(11, 23) + 'Z' : '–');
  last.className = 'badge' + (quiet ? ' warn' : '');
}

function renderChart() {
  const rows = state.candles;
  const times = rows.map(r => state.interval === '1d' ? r.bucket.substring(0, 10) : r.bucket.substring(state.interval === '1h' ? 5 : 11, 16).replace('T', ' '));
  chart.setOption({
    backgroundColor: 'transparent',
    animation: false,
    tooltip: { trigger: 'axis', axisPointer: { type: 'cross' } },
    legend: { data: ['Price', 'VWAP', 'Volume'], top: 0, textStyle: { color: '#8593a3' } },
    axisPointer: { link: [{ xAxisIndex: 'all' }] },
    grid: [{ left: 70, right: 20, top: 30, height: '58%' }, { left: 70, right: 20, top: '72%', height: '17%' }],
    xAxis: [{ type: 'category', data: times, boundaryGap: true, axisLabel: { color: '#8593a3' } },
            { type: 'category', gridIndex: 1, data: times, axisLabel: { show: false } }],
    yAxis: [{ scale: true, axisLabel: { color: '#8593a3' }, splitLine: { lineStyle: { color: '#262f3a' } } },
            { scale: false, gridIndex: 1, name: 'Volume', nameLocation: 'middle', nameGap: 50, nameTextStyle: { color: '#8593a3' }, splitNumber: 2,
              axisLabel: { color: '#8593a3', formatter: v => v >= 1e6 ? (v / 1e6) + 'M' : v >= 1e3 ? (v / 1e3) + 'k' : v }, splitLine: { show: false } }],
    dataZoom: [{ type: 'inside', xAxisIndex: [0, 1], start: rows.length > 120 ? 100 - 12000 / rows.length : 0, end: 100 },
               { type: 'slider', xAxisIndex: [0, 1], bottom: 0, height: 16 }],
    series: [
      { name: 'Price', type: 'candlestick', data: rows.map(r => [r.open, r.close, r.low, r.high]),
        itemStyle: { color: '#22c55e', color0: '#ef4444', borderColor: '#22c55e', borderColor0: '#ef4444' } },
      { name: 'VWAP', type: 'line', data: rows.map(r => r.vwap ?? null), showSymbol: false, lineStyle: { width: 1, color: '#38bdf8' } },
      { name: 'Volume', type: 'bar', xAxisIndex: 1, yAxisIndex: 1, data: rows.map(r => ({ value: r.volume, itemStyle: { color: r.close >= r.open ? '#22c55e99' : '#ef444499' } })) },
    ],
  }, { replaceMerge: ['series', 'xAxis'] });
}

function renderDaily(rows) {
  document.querySelector('#daily-table tbody').innerHTML = rows.slice().reverse().map(r => `<tr><td>${r.date}</td>
    <td class="num">${price(r.symbol, r.open, r.close)}</td><td class="num">${price(r.symbol, r.high, r.close)}</td><td class="num">${price(r.symbol, r.low, r.close)}</td><td class="num">${price(r.symbol, r.close)}</td>
    <td class="num">${fmt(r.volume, 0)}</td><td class="num">${fmt(r.trades, 0)}</td><td class="num">${price(r.symbol, r.vwap, r.close)}</td>
    <td class="source-${r.source}">${r.source}</td></tr>`).join('');
}

function tradeRow(t) {
  return `<tr><td>${t.ts.substring(11, 23)}</td><td class="num">${price(t.symbol, t.price)}</td><td class="num">${fmt(t.volume, t.volume % 1 === 0 ? 0 : 4)}</td>
    <td class="num ${cls(t.priceChange)}">${change(t.symbol, t.priceChange, t.price)}</td><td class="num ${cls(t.pctChange)}">${t.pctChange == null ? '–' : signed(t.pctChange, 2) + '%'}</td></tr>`;
}

function renderTrades(symbol, trades) {
  state.tradesSymbol = symbol;
  document.querySelector('#trades-table tbody').innerHTML = trades.map(tradeRow).join('');
}

async function loadSymbols() {
  const data = await api('/api/v1/symbols');
  state.symbols = new Map(data.symbols.map(s => [s.symbol, s]));
  state.freshness = data.freshness;
  if (state.selected && !state.symbols.has(state.selected) && data.symbols.length > 0 && !linked.symbol) state.selected = null;
  if (!state.selected && data.symbols.length > 0) state.selected = data.symbols[0].symbol;
  remember();
  renderSymbols();
  renderDetailHead();
  renderFreshness();
}

async function loadSelected() {
  if (!state.selected) return;
  const symbol = state.selected;
  const [candles, daily, trades] = await Promise.all([
    api(`/api/v1/symbols/${enc(symbol)}/candles?interval=${state.interval}`),
    api(`/api/v1/symbols/${enc(symbol)}/daily`),
    api(`/api/v1/symbols/${enc(symbol)}/trades?limit=50`),
  ]);
  if (symbol !== state.selected) return;
  state.candles = candles.rows;
  renderChart();
  renderDaily(daily.rows);
  renderTrades(symbol, trades.trades);
}

async function loadLayers() {
  const status = await api('/api/v1/status');
  const layers = Object.entries(status.layers ?? {});
  document.getElementById('layers').innerHTML = layers.map(([name, l]) => {
    const cell = l.state === 'running' ? 'success' : l.state === 'restarting' ? 'retrying' : l.state === 'absent' ? '' : 'failed';
    return `<span class="layer" title="${l.detail ?? ''}"><span class="cell ${cell}"></span> ${name} ${l.state}`
      + `${l.restarts ? ' – restarted ' + l.restarts + ' time(s)' : ''}</span>`;
  }).join('');
}

async function loadPipeline() {
  loadLayers().catch(console.error);
  const data = await api('/api/v1/batch/runs?limit=60');
  const runs = data.runs.slice().reverse();
  document.getElementById('no-runs').hidden = runs.length > 0;
  const tasks = ['absorb', 'views', 'publish', 'audit'];
  const grid = document.getElementById('grid');
  grid.style.gridTemplateColumns = `auto repeat(${runs.length}, 20px)`;
  const period = r => r.periodStart.substring(0, 16).replace('T00:00', '').replace('T', ' ');
  let html = '<div></div>' + runs.map(r => `<div class="period" title="run ${r.runId}">${period(r)}</div>`).join('');
  html += '<div class="label">run</div>' + runs.map(r => `<div><span class="cell ${r.state}" title="run ${r.runId} ${r.state} ${r.durationMs == null ? '' : (r.durationMs / 1000).toFixed(1) + ' s'}${r.error ? '\n' + r.error : ''}"></span></div>`).join('');
  for (const task of tasks) {
    html += `<div class="label">${task}</div>` + runs.map(r => {
      const t = r.tasks.find(x => x.task === task);
      if (!t) return '<div><span class="cell"></span></div>';
      return `<div><span class="cell ${t.state}" title="${task} ${t.state} ${t.durationMs == null ? '' : (t.durationMs / 1000).toFixed(1) + ' s'}, ${t.attempts} attempt(s)${t.error ? '\n' + t.error : ''}"></span></div>`;
    }).join('');
  }
  grid.innerHTML = html;
  document.querySelector('#runs-table tbody').innerHTML = data.runs.map(r => `<tr><td>${r.runId}</td><td>${period(r)}</td><td>${r.trigger}</td>
    <td><span class="cell ${r.state}"></span> ${r.state}</td><td>${r.startedAt ? r.startedAt.substring(0, 19).replace('T', ' ') : '–'}</td>
    <td class="num">${r.durationMs == null ? '–' : (r.durationMs / 1000).toFixed(1) + ' s'}</td><td class="num">${r.attempts}</td>
    <td class="num">${r.tradesAbsorbed == null ? '–' : r.tradesAbsorbed.toLocaleString()}</td><td class="num">${r.rowsPublished == null ? '–' : r.rowsPublished.toLocaleString()}</td>
    <td class="error">${r.error ?? ''}${r.nextAttemptAt ? ' (retry at ' + r.nextAttemptAt.substring(11, 19) + ')' : ''}${r.offsetsLost ? ' – ' + r.offsetsLost.toLocaleString() + ' offsets lost to retention' : ''}${r.auditDifferences ? ' – audit: ' + r.auditDifferences.toLocaleString() + ' bucket(s) differ' : ''}</td></tr>`).join('');
}

function applyTrades(trades) {
  const changed = new Map();
  for (const t of trades) {
    const s = state.symbols.get(t.symbol);
    if (!s) { scheduleReload(); continue; }
    if (t.tsMs < s.lastTradeMs) continue;
    const day = t.ts.substring(0, 10);
    if (day !== s.date) { scheduleReload(); continue; }
    const before = s.price;
    s.price = t.price;
    s.lastTradeMs = t.tsMs;
    s.dayHigh = Math.max(s.dayHigh, t.price);
    s.dayLow = Math.min(s.dayLow, t.price);
    s.dayVolume += t.volume;
    s.dayTrades += 1;
    if (s.previousClose != null) {
      s.change = s.price - s.previousClose;
      s.pctChange = 100 * s.change / s.previousClose;
    }
    changed.set(t.symbol, changed.has(t.symbol) ? changed.get(t.symbol) : before);
  }
  renderSymbols();
  for (const [symbol, before] of changed) {
    const cell = document.querySelector(`#symbol-table tr[data-symbol="${CSS.escape(symbol)}"] .price`);
    const s = state.symbols.get(symbol);
    if (cell && s.price !== before) cell.classList.add(s.price > before ? 'flash-up' : 'flash-down');
  }
  if (changed.has(state.selected)) renderDetailHead();
  if (changed.has(state.selected) && state.tradesSymbol === state.selected) {
    const mine = trades.filter(t => t.symbol === state.selected).reverse();
    const body = document.querySelector('#trades-table tbody');
    body.insertAdjacentHTML('afterbegin', mine.map(tradeRow).join(''));
    while (body.rows.length > 50) body.deleteRow(body.rows.length - 1);
  }
  if (trades.length > 0 && state.freshness) {
    const newest = Math.max(...trades.map(t => t.tsMs));
    state.freshness.lastTradeMs = newest;
    state.freshness.lastTradeAt = new Date(newest).toISOString();
    // Pushed right after the commit: how long ago the newest of them entered the system is the speed
    // layer's delay; how long ago it traded also counts the feed's own lag, so it is the feed's silence.
    state.freshness.speedDelayMs = Math.max(0, Date.now() - Math.max(...trades.map(t => t.ingestTsMs)));
    state.freshness.feedSilenceMs = Math.max(0, Date.now() - newest);
    renderFreshness();
  }
}

function applyCandles(candles) {
  if (state.interval !== '1m') return;
  let changed = false;
  for (const c of candles) {
    if (c.symbol !== state.selected) continue;
    const index = state.candles.findIndex(r => r.bucketMs === c.bucketMs);
    if (index >= 0) state.candles[index] = c;
    else if (state.candles.length === 0 || c.bucketMs > state.candles[state.candles.length - 1].bucketMs) state.candles.push(c);
    else continue;
    changed = true;
  }
  if (changed) renderChart();
}

function scheduleReload() {
  if (state.reloadTimer) return;
  state.reloadTimer = setTimeout(async () => {
    state.reloadTimer = null;
    await loadSymbols();
    await loadSelected();
  }, 1000);
}

function connect() {
  const badge = document.getElementById('badge-live');
  const source = new EventSource('/api/v1/stream');
  source.addEventListener('open', () => { badge.textContent = 'live'; badge.className = 'badge ok'; });
  source.addEventListener('error', () => { badge.textContent = 'reconnecting'; badge.className = 'badge warn'; });
  source.addEventListener('trades', event => applyTrades(JSON.parse(event.data).trades));
  source.addEventListener('candles', event => applyCandles(JSON.parse(event.data).candles));
  source.addEventListener('publish', () => { scheduleReload(); if (!document.getElementById('page-pipeline').hidden) loadPipeline(); });
}

function showPage() {
  const pipeline = location.hash === '#pipeline';
  document.getElementById('page-market').hidden = pipeline;
  document.getElementById('page-pipeline').hidden = !pipeline;
  document.getElementById('tab-market').classList.toggle('active', !pipeline);
  document.getElementById('tab-pipeline').classList.toggle('active', pipeline);
  if (pipeline) loadPipeline().catch(console.error);
  else chart.resize();
}

// The selected symbol and interval live in the address, so that a link opens them.
const linked = Object.fromEntries(new URLSearchParams(location.search));
if (linked.symbol) state.selected = linked.symbol;
if (['1m', '1h', '1d'].includes(linked.interval)) state.interval = linked.interval;
document.querySelectorAll('.intervals button').forEach(b => b.classList.toggle('active', b.dataset.interval === state.interval));
function remember() {
  const params = new URLSearchParams();
  if (state.selected) params.set('symbol', state.selected);
  params.set('interval', state.interval);
  history.replaceState(null, '', `?${params}${location.hash}`);
}

document.querySelector('#symbol-table tbody').addEventListener('click', event => {
  const row = event.target.closest('tr');
  if (!row) return;
  state.selected = row.dataset.symbol;
  remember();
  renderSymbols();
  renderDetailHead();
  // The previous symbol's trades go at once, not when the new ones arrive.
  renderTrades(null, []);
  loadSelected().catch(console.error);
});
document.querySelectorAll('.intervals button').forEach(button => button.addEventListener('click', () => {
  document.querySelectorAll('.intervals button').forEach(b => b.classList.toggle('active', b === button));
  state.interval = button.dataset.interval;
  remember();
  loadSelected().catch(console.error);
}));
window.addEventListener('hashchange', showPage);
window.addEventListener('resize', () => chart.resize());
setInterval(() => { if (!document.getElementById('page-pipeline').hidden) loadPipeline().catch(console.error); }, 10000);
setInterval(() => { if (state.freshness && state.freshness.lastTradeMs) { state.freshness.feedSilenceMs = Date.now() - state.freshness.lastTradeMs; renderFreshness(); } }, 1000);

showPage();
loadSymbols().then(loadSelected).catch(console.error).finally(connect);
