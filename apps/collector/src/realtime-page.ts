/**
 * The Realtime-like page: plain HTML and a small script that polls `/api/stats` every 2 s.
 * No build step and no external assets (terminals and CI have no internet).
 */
export const REALTIME_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>pos-ga4 collector · Realtime</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 0; background: #f6f8fa; color: #202124; }
  header { background: #1a73e8; color: #fff; padding: 12px 24px; font-size: 18px; }
  main { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; padding: 16px 24px; }
  section { background: #fff; border-radius: 8px; padding: 16px; box-shadow: 0 1px 2px rgba(0,0,0,.15); }
  h2 { font-size: 13px; text-transform: uppercase; color: #5f6368; margin: 0 0 8px; }
  .big { font-size: 40px; font-weight: 600; }
  #chart { display: flex; align-items: flex-end; gap: 2px; height: 80px; }
  #chart div { flex: 1; background: #1a73e8; min-height: 1px; }
  table { width: 100%; border-collapse: collapse; }
  td, th { text-align: left; padding: 4px 6px; border-bottom: 1px solid #eee; vertical-align: top; }
  .wide { grid-column: 1 / -1; }
  .refund { color: #c5221f; }
  small { color: #5f6368; }
</style>
</head>
<body>
<header>pos-ga4 collector · Realtime <small id="updated" style="color:#dbe8fd"></small></header>
<main>
  <section><h2>Events in the last 30 minutes</h2><div class="big" id="events30">0</div><div id="chart"></div></section>
  <section><h2>Totals</h2>
    <div>Requests: <b id="requests">0</b> · Events: <b id="events">0</b> · Invalid: <b id="invalid">0</b> · Faulted: <b id="faulted">0</b></div>
    <h2 style="margin-top:12px">Revenue</h2><div id="revenue">–</div>
  </section>
  <section class="wide"><h2>Latest purchases</h2>
    <table><thead><tr><th>Time</th><th>Event</th><th>Client</th><th>Transaction</th><th>Value</th><th>Items</th></tr></thead><tbody id="purchases"></tbody></table>
  </section>
  <section class="wide"><h2>Events per client</h2><table><tbody id="clients"></tbody></table></section>
</main>
<script>
const text = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
async function refresh() {
  try {
    const stats = await (await fetch('/api/stats')).json();
    document.getElementById('requests').textContent = stats.requests;
    document.getElementById('events').textContent = stats.events;
    document.getElementById('invalid').textContent = stats.invalidRequests;
    document.getElementById('faulted').textContent = stats.faulted;
    const last30 = stats.perMinute.reduce((a, m) => a + m.events, 0);
    document.getElementById('events30').textContent = last30;
    const max = Math.max(1, ...stats.perMinute.map((m) => m.events));
    document.getElementById('chart').innerHTML = stats.perMinute.map((m) => '<div title="' + m.minute + ': ' + m.events + '" style="height:' + (100 * m.events / max) + '%"></div>').join('');
    const revenue = Object.entries(stats.revenueByCurrency);
    document.getElementById('revenue').innerHTML = revenue.length ? revenue.map(([c, v]) => '<b>' + text(v) + '</b> ' + text(c)).join(' · ') : '–';
    document.getElementById('purchases').innerHTML = stats.latestPurchases.map((p) =>
      '<tr class="' + (p.name === 'refund' ? 'refund' : '') + '"><td>' + text(p.receivedAt.slice(11, 19)) + '</td><td>' + text(p.name) + '</td><td>' + text(p.clientId) +
      '</td><td>' + text(p.transactionId) + '</td><td>' + text(p.value) + ' ' + text(p.currency) + '</td><td>' +
      p.items.map((i) => text(i.quantity) + ' × ' + text(i.name || i.id) + ' @ ' + text(i.price)).join('<br>') + '</td></tr>').join('');
    document.getElementById('clients').innerHTML = stats.topClients.map((c) => '<tr><td>' + text(c.clientId) + '</td><td>' + text(c.events) + '</td></tr>').join('');
    document.getElementById('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
  } catch (e) {
    document.getElementById('updated').textContent = 'offline: ' + e;
  }
}
refresh();
setInterval(refresh, 2000);
</script>
</body>
</html>
`;
