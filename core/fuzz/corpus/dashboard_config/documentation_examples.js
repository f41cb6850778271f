sys_eventProviders = [
  { type: "WSS", // WebSocket event provider
    url : "wss://ws.weather.myserver.com", // WebSocket server URL
    events: ["temperature"] // Event name
  },
  { type: "SSE", // Server-sent Events provider
    url : "http://sse.weather.myserver.com", // HTTP server URL
    events: ["temperature", "humidity"] // Event names
  },
  { type: "FETCH", // Fetch provider
    url : "http://api.weather.myserver.com", // HTTP server URL
    events: ["temperature"], // Event name
    interval: 5000 // pull interval (5 seconds)
  },
  { type: "FILE", // File provider
    url : "my-event-provider.js", // JavaScript data provider
    events: ["temperature", "humidity"], // Event names
    interval: 5000 // pull interval (5 seconds)
  },
];
