var sys_eventProviders = [
  { type: 'FETCH', url: 'http://localhost:8080', events: ['temperature'], interval: 3000, method: 'post',
    headers: { 'Content-Type': 'application/json', 'X-Key': "k\x41\u{1F600}" }, body: '{}', credentials: 'include' },
  { type: 'SSE', url: 'http://127.0.0.1:8081/events?x=1#y', events: 'temperature_sse' },
  { type: 'wss', url: 'wss://[::1]:8443/ws', events: ['a', 'b'] },
  { type: 'FILE', url: 'file:///tmp/data%20x.tmp', interval: 0x10 },
  { type: 'FILE', url: '../rel/./feed.txt' },
  { type: 'MQTT', url: 'mqtt://localhost' }, 'not an object', null,
];
