// Reference peer: an SSE broadcast server on node's http module, sending exactly the bytes evsim
// serve's SSE emitter sends (same header set, close-delimited body, `event: temperature_sse`).
import http from 'node:http';

import { announce, nextValue, startTicking, stopOnSignals } from './broadcast.mjs';
import { parseOptions } from './peer_options.mjs';

const options = parseOptions('sse_server.mjs');
const clients = new Set();
const encode = (value) => `event: temperature_sse\ndata: ${value}\n\n`;
let latest = encode(nextValue());

const server = http.createServer((req, res) => {
    if (req.method !== 'GET') {
        res.writeHead(405, { Allow: 'GET' }).end();
        return;
    }
    // Without these two, node frames the body in chunks and adds a Date header; evsim sends a
    // close-delimited body, and the comparison should put the same bytes on the wire.
    res.sendDate = false;
    res.removeHeader('Transfer-Encoding');
    res.writeHead(200, {
        'Content-Type': 'text/event-stream',
        'Access-Control-Allow-Origin': '*',
        'Cache-Control': 'no-cache',
        Connection: 'keep-alive',
    });
    res.write(latest);
    clients.add(res);
    res.on('close', () => clients.delete(res));
});

const timer = startTicking(options.intervalMs, (value) => {
    latest = encode(value);
    for (const res of clients) res.write(latest);
});

server.listen(options.port, options.host, () => {
    const { address, port } = server.address();
    announce(`http://${address.includes(':') ? `[${address}]` : address}:${port}`);
});

stopOnSignals(() => {
    clearInterval(timer);
    for (const res of clients) res.destroy();
    server.close();
});
