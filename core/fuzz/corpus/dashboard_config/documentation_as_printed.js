sys_eventProviders = [ ... { type: "WSS", // WebSocket event provider url : "wss://ws.weather.myserver.com" }, ... ];
