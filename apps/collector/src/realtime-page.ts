/**
 * The Realtime-like page: plain HTML and a small script that polls `/api/stats` every 2 s.
 * No build step and no external assets (terminals and CI have no internet).
 * Shows the totals, revenue per currency as gross / refunded / net, net revenue per transaction
 * (a refund netted against its purchase; a refund whose purchase never arrived says so), the
 * latest purchases and refunds, and events per client. Amounts are the API's exact numbers,
 * printed with their currency's minor digits (Intl), never rounded away.
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
  .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
  .net { font-weight: 600; }
  .orphan { color: #b06000; font-style: italic; }
  .status { color: #5f6368; font-size: 12px; }
  small { color: #5f6368; }
</style>
</head>
<body>
<header>pos-ga4 collector · Realtime <small id="updated" style="color:#dbe8fd"></small></header>
<main>
  <section><h2>Events in the last 30 minutes</h2><div class="big" id="events30">0</div><div id="chart"></div></section>
  <section><h2>Totals</h2>
    <div>Requests: <b id="requests">0</b> · Events: <b id="events">0</b> · Invalid: <b id="invalid">0</b> · Faulted: <b id="faulted">0</b></div>
    <h2 style="margin-top:12px">Revenue</h2>
    <table><thead><tr><th>Currency</th><th class="num">Gross</th><th class="num">Refunded</th><th class="num">Net</th></tr></thead><tbody id="revenue"></tbody></table>
  </section>
  <section class="wide"><h2>Transactions · net revenue <small id="transactions-shown"></small></h2>
    <table><thead><tr><th>Transaction</th><th>Client</th><th class="num">Purchase</th><th class="num">Refunded</th><th class="num">Net</th><th>Currency</th><th>Status</th></tr></thead><tbody id="transactions"></tbody></table>
  </section>
  <section class="wide"><h2>Latest purchases and refunds</h2>
    <table><thead><tr><th>Time</th><th>Event</th><th>Client</th><th>Transaction</th><th>Value</th><th>Items</th></tr></thead><tbody id="purchases"></tbody></table>
  </section>
  <section class="wide"><h2>Events per client</h2><table><tbody id="clients"></tbody></table></section>
</main>
<script>
const text = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
const minorDigits = (currency) => {
  try { return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits; } catch { return 0; }
};
// at least the currency's minor digits, and every digit the value has (nothing rounded away)
const money = (value, currency) => {
  const shown = String(value);
  if (typeof value !== 'number' || !Number.isFinite(value) || shown.includes('e')) return text(shown);
  return text(value.toFixed(Math.max(minorDigits(currency), (shown.split('.')[1] || '').length)));
};
const STATUS = {
  'purchased': '',
  'partially-refunded': 'partly refunded',
  'fully-refunded': 'fully refunded',
  'over-refunded': 'refunded more than bought',
  'refund-without-purchase': 'refund only: purchase not seen',
};
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
    document.getElementById('revenue').innerHTML = stats.revenueTotals.length ? stats.revenueTotals.map((r) =>
      '<tr><td>' + text(r.currency) + '</td><td class="num">' + money(r.gross, r.currency) + '</td><td class="num refund">' +
      money(r.refunded, r.currency) + '</td><td class="num net">' + money(r.net, r.currency) + '</td></tr>').join('') : '<tr><td colspan="4">–</td></tr>';
    document.getElementById('transactions-shown').textContent = stats.transactionCount > stats.transactions.length
      ? 'latest ' + stats.transactions.length + ' of ' + stats.transactionCount : '';
    document.getElementById('transactions').innerHTML = stats.transactions.map((t) =>
      '<tr class="' + (t.purchase === null ? 'orphan' : '') + '"><td>' + text(t.transactionId) + '</td><td>' + text(t.clientId) + '</td><td class="num">' +
      (t.purchase === null ? 'not seen' : money(t.purchase, t.currency) + (t.purchases > 1 ? ' <small>(×' + text(t.purchases) + ', counted once)</small>' : '')) +
      '</td><td class="num refund">' + (t.refunds > 0 ? money(t.refunded, t.currency) : '') + '</td><td class="num net">' + money(t.net, t.currency) +
      '</td><td>' + text(t.currency) + '</td><td class="status">' + text(STATUS[t.status] ?? t.status) +
      (t.refundIds.length ? '<br><small>by ' + t.refundIds.map(text).join(', ') + '</small>' : '') + '</td></tr>').join('');
    document.getElementById('purchases').innerHTML = stats.latestPurchases.map((p) =>
      '<tr class="' + (p.name === 'refund' ? 'refund' : '') + '"><td>' + text(p.receivedAt.slice(11, 19)) + '</td><td>' + text(p.name) + '</td><td>' + text(p.clientId) +
      '</td><td>' + text(p.transactionId) + '</td><td>' + money(p.value, p.currency) + ' ' + text(p.currency) + '</td><td>' +
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
