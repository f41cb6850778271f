// evsim check client adapter for the npm `eventsource` package (docs/adapters.md):
//   node adapter.mjs URL EVENTS      (EVENTS: the event types to listen for, comma-separated)
// Prints one JSON line per observation, exactly what the package's EventSource reports.
import { EventSource } from 'eventsource';

const [url, events = 'message'] = process.argv.slice(2);
if (!url) {
  process.stderr.write('usage: node adapter.mjs URL [EVENTS]\n');
  process.exit(2);
}
const out = (observation) => process.stdout.write(JSON.stringify(observation) + '\n');
const source = new EventSource(url);
source.onopen = () => out({ kind: 'open' });
source.onerror = () => out({ kind: 'error', readyState: source.readyState });
for (const type of events.split(',').filter(Boolean)) {
  source.addEventListener(type, (event) =>
    out({ kind: 'message', type: event.type, data: event.data, lastEventId: event.lastEventId }));
}
const stop = () => {
  source.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
