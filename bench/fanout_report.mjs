// Prints the table of bench/compare_fanout.sh from its results file (one JSON line per
// measurement: {server: "evsim" | "peer", test, ...the client's result, ...the server's figures}).
//
//   node bench/fanout_report.mjs RESULTS.jsonl --push-clients N --interval TIME --ws-version V --load TEXT
import { readFileSync } from 'node:fs';

const [file, ...rest] = process.argv.slice(2);
const flags = Object.fromEntries(rest.flatMap((v, i) => (i % 2 === 0 ? [[v.replace(/^--/, ''), rest[i + 1]]] : [])));
if (!file) {
    process.stderr.write('usage: node fanout_report.mjs RESULTS.jsonl [--push-clients N] [--interval TIME] [--ws-version V] [--load TEXT]\n');
    process.exit(2);
}
const results = readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
const find = (server, test) => results.find((r) => r.server === server && r.test === test);

const fmt = (x, digits = 0) =>
    x === undefined || Number.isNaN(x) ? 'n/a' : x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const ratio = (a, b) => (a === undefined || b === undefined || b === 0 ? 'n/a' : `${(a / b).toFixed(2)}×`);
const errors = (r) => (r ? r.errors.connect + r.errors.handshake + r.errors.stream : undefined);
const perConnection = (r) => (r ? (((r.rss_after_kib - r.rss_before_kib) * 1024) / r.established) : undefined);

const rows = [];
const row = (label, test, value, digits = 0, withRatio = true) => {
    const e = find('evsim', test) && value(find('evsim', test));
    const p = find('peer', test) && value(find('peer', test));
    rows.push(`| ${label} | ${fmt(e, digits)} | ${fmt(p, digits)} | ${withRatio ? ratio(e, p) : ''} |`);
};

for (const [name, test] of [['SSE', 'sse_push'], ['WS', 'ws_push']]) {
    const sample = find('evsim', test) ?? find('peer', test);
    const n = sample?.established ?? flags['push-clients'];
    row(`${name} push, ${n} subscribers: delivered events/s`, test, (r) => r.events_per_second);
    row(`${name} push: events/s per subscriber, min`, test, (r) => r.per_connection_events_per_second.min, 1);
    row(`${name} push: events/s per subscriber, max`, test, (r) => r.per_connection_events_per_second.max, 1);
    row(`${name} push: server CPU % (of one core)`, test, (r) => r.server_cpu_percent, 0);
    // What the server delivers per second of its own CPU: comparable even when other work on the
    // machine (or the client) left a server less than a whole core.
    row(`${name} push: deliveries per server CPU-second`, test, (r) => r.events_per_second / (r.server_cpu_percent / 100));
    row(`${name} push: client CPU % (of one core)`, test, (r) => r.client_cpu_percent, 0, false);
    row(`${name} push: connection errors`, test, errors, 0, false);
}
for (const [name, test] of [['SSE', 'sse_idle'], ['WS', 'ws_idle']]) {
    const n = (find('evsim', test) ?? find('peer', test))?.established;
    row(`${name} idle, ${n} connections: server RSS growth per connection (bytes)`, test, perConnection);
    row(`${name} idle: server RSS before (MiB)`, test, (r) => r.rss_before_kib / 1024, 1);
    row(`${name} idle: server RSS with all connected (MiB)`, test, (r) => r.rss_after_kib / 1024, 1);
    row(`${name} idle: connection errors`, test, errors, 0, false);
}

const interval = flags.interval ?? '1ms';
console.log(`\nFan-out, one value per ${interval}; peer = node ${process.version} http (SSE) / ws ${flags['ws-version'] ?? '?'} (WebSocket)`);
if (flags.load) console.log(`load average before / after the run: ${flags.load}`);
console.log('');
console.log('| measurement | evsim | peer | evsim / peer |');
console.log('|---|---:|---:|---:|');
for (const r of rows) console.log(r);
