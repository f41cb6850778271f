// Reference peer: a WebSocket broadcast server on the `ws` package, sending what evsim serve's
// WebSocket emitter sends (a text message NN on connect and every interval).
import { WebSocketServer, WebSocket } from 'ws';

import { announce, nextValue, startTicking, stopOnSignals } from './broadcast.mjs';
import { parseOptions } from './peer_options.mjs';

const options = parseOptions('ws_server.mjs');
let latest = String(nextValue());

// perMessageDeflate off (ws's server default), as evsim negotiates no compression either.
const wss = new WebSocketServer({ host: options.host, port: options.port, perMessageDeflate: false });

wss.on('connection', (socket) => {
    socket.on('error', () => {});  // a client that resets is not the server's problem
    socket.send(latest);
});

const timer = startTicking(options.intervalMs, (value) => {
    latest = String(value);
    for (const socket of wss.clients) {
        if (socket.readyState === WebSocket.OPEN) socket.send(latest);
    }
});

wss.on('listening', () => {
    const { address, port } = wss.address();
    announce(`ws://${address.includes(':') ? `[${address}]` : address}:${port}`);
});

stopOnSignals(() => {
    clearInterval(timer);
    for (const socket of wss.clients) socket.terminate();
    wss.close();
});
