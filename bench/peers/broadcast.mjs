// What both peers share: the value stream (one value per tick, the same for every client, as evsim
// serve draws them), the banner, and a clean stop on SIGINT/SIGTERM.

// Values 10..98, like the Python samples' random.randrange(10, 99).
export const nextValue = () => 10 + Math.floor(Math.random() * 89);

// Calls onTick(value) every intervalMs. setInterval does not catch up on missed ticks, like
// evsim's periodic timer: an overloaded server simply ticks less often.
export function startTicking(intervalMs, onTick) {
    return setInterval(() => onTick(nextValue()), intervalMs);
}

// The banner evsim serve prints: a script reads the port from the URL line.
export function announce(url) {
    process.stdout.write(`Server started.\nURL: ${url}\n`);
}

export function stopOnSignals(stop) {
    const handler = () => {
        stop();
        process.stdout.write('Server ended.\n');
        process.exit(0);
    };
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
}
