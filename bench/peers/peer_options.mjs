// The command line both peers share, with evsim serve's meaning: --host, --port (0 picks a free
// port), --interval in evsim's syntax (3s, 500ms, 1.5s, 2m or plain milliseconds; 1 ms to 1 day).

const usage = (name) => `usage: node ${name} [--host ADDR] [--port PORT] [--interval TIME]

Broadcasts one value 10..98 per interval to every client, like evsim serve's emitter: the current
value on connect, then one each tick. Prints "URL: ..." once listening; SIGINT/SIGTERM stop it.

  --host ADDR      address to bind (default 127.0.0.1)
  --port PORT      port (default 0: any free port)
  --interval TIME  time between values: 3s, 500ms, 1.5s, 2m or plain milliseconds (default 3s)
`;

const units = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

export function parseInterval(text) {
    const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text);
    if (!match) throw new Error(`--interval: '${text}' is not a time (3s, 500ms, 1.5s, 2m or milliseconds)`);
    const ms = Number(match[1]) * units[match[2] ?? 'ms'];
    if (ms < 1 || ms > 86_400_000) throw new Error(`--interval: '${text}' is outside 1 ms to 1 day`);
    return ms;
}

// Returns {host, port, intervalMs}; prints usage and exits (0 for --help, 2 for a mistake).
export function parseOptions(name, argv = process.argv.slice(2)) {
    const options = { host: '127.0.0.1', port: 0, intervalMs: 3000 };
    try {
        for (let i = 0; i < argv.length; i++) {
            const flag = argv[i];
            if (flag === '-h' || flag === '--help') {
                process.stdout.write(usage(name));
                process.exit(0);
            }
            const value = argv[++i];
            if (value === undefined) throw new Error(`${flag} needs a value`);
            if (flag === '--host') options.host = value;
            else if (flag === '--port') {
                options.port = Number(value);
                if (!/^\d+$/.test(value) || options.port > 65535) throw new Error(`--port: '${value}' is not a port number`);
            } else if (flag === '--interval') options.intervalMs = parseInterval(value);
            else throw new Error(`unknown option '${flag}'`);
        }
    } catch (error) {
        process.stderr.write(`${name}: ${error.message}\n${usage(name)}`);
        process.exit(2);
    }
    return options;
}
