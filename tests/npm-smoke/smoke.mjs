// Smoke test: `evsim serve`'s four reference emitters driven by real third-party clients.
//
//   node smoke.mjs /path/to/evsim
//
// Starts `evsim serve` with every port 0 and a temporary file, reads the URLs it prints, then at
// the same time: 3 EventSources (npm `eventsource`), 3 WebSockets (npm `ws`), 20 GETs with node's
// built-in fetch and 50 reads of the file. Then closes the clients, sends SIGTERM and checks the
// clean shutdown. Prints one PASS/FAIL line per check and exits 1 on any failure (or on the overall
// timeout, after killing the server).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { EventSource } from 'eventsource';
import WebSocket from 'ws';

const OVERALL_TIMEOUT_MS = 20_000;
const CLIENTS = 3;          // EventSources and WebSockets each
const MIN_EVENTS = 3;       // per streaming client
const FETCHES = 20;
const FILE_READS = 50;
const VALUE = /^[1-9][0-9]$/;
const FILE_CONTENT = /^event="temperature_file";data=[1-9][0-9]$/;

const binary = process.argv[2];
if (!binary) {
  console.error('usage: node smoke.mjs EVSIM_BINARY');
  process.exit(2);
}

let passed = 0;
let failed = 0;
function check(ok, name, detail = '') {
  if (ok) passed++; else failed++;
  console.log(`${ok ? 'PASS' : 'FAIL'} ${name}${detail ? ` (${detail})` : ''}`);
  return ok;
}
const isValue = (s) => typeof s === 'string' && VALUE.test(s) && +s >= 10 && +s <= 98;

const dir = mkdtempSync(join(tmpdir(), 'evsim-npm-smoke-'));
const filePath = join(dir, 'data.tmp');
const child = spawn(binary, [
  'serve', '--fetch-port', '0', '--sse-port', '0', '--ws-port', '0',
  '--file-path', filePath, '--interval', '100ms', '--seed', '1',
], { stdio: ['ignore', 'pipe', 'pipe'] });

let stdout = '';
let stderr = '';
child.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; });
child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
const exited = new Promise((resolve) => {
  child.on('exit', (code, signal) => resolve({ code, signal }));
  child.on('error', (err) => resolve({ code: null, signal: null, error: err }));
});

const openClients = [];   // closed on every way out, so nothing keeps node alive

function finish(code) {
  for (const c of openClients) { try { c.close(); } catch { /* already closed */ } }
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
  console.log(`npm-smoke: ${passed} passed, ${failed} failed`);
  process.exit(code);
}

const overall = setTimeout(() => {
  check(false, `overall timeout of ${OVERALL_TIMEOUT_MS / 1000} s`);
  if (stdout) console.log(`evsim stdout:\n${stdout}`);
  if (stderr) console.log(`evsim stderr:\n${stderr}`);
  finish(1);
}, OVERALL_TIMEOUT_MS);

// Wait until the four URL lines are printed (or the server exits first).
async function readUrls() {
  for (;;) {
    const urls = [...stdout.matchAll(/^URL: (\S+)$/gm)].map((m) => m[1]);
    if (urls.length >= 4) return urls;
    if (child.exitCode !== null || child.signalCode !== null) return null;
    await sleep(10);
  }
}

function sseClient(i, url) {
  return new Promise((resolve) => {
    const values = [];
    const bad = [];
    let opened = false;
    let error = null;
    const es = new EventSource(url);
    openClients.push(es);
    es.onopen = () => { opened = true; };
    es.onerror = (e) => { error ??= e?.message || 'error event'; };
    es.addEventListener('temperature_sse', (ev) => {
      (isValue(ev.data) ? values : bad).push(ev.data);
      if (values.length + bad.length >= MIN_EVENTS) {
        es.close();
        resolve({ i, opened, values, bad, error });
      }
    });
  });
}

function wsClient(i, url) {
  return new Promise((resolve) => {
    const values = [];
    const bad = [];
    let error = null;
    let done = false;
    const ws = new WebSocket(url);
    openClients.push(ws);
    ws.on('error', (e) => { error ??= e.message; });
    ws.on('message', (data, isBinary) => {
      const text = isBinary ? null : data.toString('utf8');
      (isValue(text) ? values : bad).push(isBinary ? '<binary>' : text);
      if (!done && values.length + bad.length >= MIN_EVENTS) {
        done = true;
        ws.close(1000, 'done');
      }
    });
    // Resolve once the closing handshake is over (or the connection failed).
    ws.on('close', (code) => resolve({ i, values, bad, error, code, done }));
  });
}

async function fetchOnce(url) {
  const res = await fetch(url);
  const body = await res.text();
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    cors: res.headers.get('access-control-allow-origin'),
    body,
  };
}

async function readFileRepeatedly(path) {
  const bad = [];
  for (let n = 0; n < FILE_READS; n++) {
    let text;
    try { text = await readFile(path, 'utf8'); } catch (e) { text = `<${e.code}>`; }
    if (!FILE_CONTENT.test(text)) bad.push(JSON.stringify(text));
    await sleep(5);   // 50 reads over ~3 intervals: the file is replaced under the reader
  }
  return bad;
}

async function main() {
  const urls = await readUrls();
  if (!check(urls !== null, 'evsim serve printed 4 URLs', urls ? urls.join(' ') : `stdout: ${JSON.stringify(stdout)} stderr: ${JSON.stringify(stderr)}`)) {
    return finish(1);
  }
  const [fetchUrl, sseUrl, wsUrl, fileUrl] = urls;
  check(/^http:\/\/127\.0\.0\.1:\d+$/.test(fetchUrl) && /^http:\/\/127\.0\.0\.1:\d+$/.test(sseUrl)
        && /^ws:\/\/127\.0\.0\.1:\d+$/.test(wsUrl) && fileUrl === `file://${filePath}`,
        'URLs are fetch, SSE, WebSocket, file with real ports');

  const [sse, ws, fetched, fileBad] = await Promise.all([
    Promise.all(Array.from({ length: CLIENTS }, (_, i) => sseClient(i, sseUrl))),
    Promise.all(Array.from({ length: CLIENTS }, (_, i) => wsClient(i, wsUrl))),
    Promise.all(Array.from({ length: FETCHES }, () => fetchOnce(fetchUrl).catch((e) => ({ error: e.message })))),
    readFileRepeatedly(filePath),
  ]);

  for (const r of sse) {
    check(r.opened, `eventsource #${r.i}: onopen fired`);
    check(r.values.length >= MIN_EVENTS && r.bad.length === 0,
          `eventsource #${r.i}: >= ${MIN_EVENTS} temperature_sse events with data 10..98`,
          `got ${JSON.stringify(r.values)}${r.bad.length ? ` bad ${JSON.stringify(r.bad)}` : ''}${r.error ? ` error ${r.error}` : ''}`);
  }
  for (const r of ws) {
    check(r.values.length >= MIN_EVENTS && r.bad.length === 0 && r.done,
          `ws #${r.i}: >= ${MIN_EVENTS} text messages 10..98`,
          `got ${JSON.stringify(r.values)}${r.bad.length ? ` bad ${JSON.stringify(r.bad)}` : ''}${r.error ? ` error ${r.error}` : ''}`);
    check(r.code === 1000, `ws #${r.i}: closing handshake completed with 1000`, `close code ${r.code}`);
  }
  const badFetches = fetched.filter((f) => f.error || f.status !== 200 || !/^text\/plain\b/.test(f.type ?? '')
                                           || f.cors !== '*' || !isValue(f.body));
  check(badFetches.length === 0,
        `fetch: ${FETCHES} GETs answer 200, text/plain, Access-Control-Allow-Origin: *, body 10..98`,
        badFetches.length ? `bad: ${JSON.stringify(badFetches.slice(0, 3))}` : `bodies ${fetched.map((f) => f.body).join(',')}`);
  check(fileBad.length === 0, `file: ${FILE_READS} reads all match ${FILE_CONTENT}`,
        fileBad.length ? `bad: ${fileBad.slice(0, 3).join(', ')}` : '');

  // Everything is closed by now (EventSources closed on their last event, WebSockets after the
  // closing handshake); stop the server.
  for (const c of openClients) { try { c.close(); } catch { /* already closed */ } }
  child.kill('SIGTERM');
  const { code, signal, error } = await exited;
  check(code === 0, 'SIGTERM: evsim exits 0', error ? error.message : `code ${code} signal ${signal}`);
  check(/^Server ended\.$/m.test(stdout), 'SIGTERM: "Server ended." on stdout');
  if (failed) {
    console.log(`evsim stdout:\n${stdout}`);
    if (stderr) console.log(`evsim stderr:\n${stderr}`);
  }
  clearTimeout(overall);
  finish(failed ? 1 : 0);
}

main().catch((e) => {
  check(false, 'smoke test ran without an exception', e?.stack || String(e));
  finish(1);
});
