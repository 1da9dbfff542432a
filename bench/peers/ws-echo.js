// The classic Node.js `ws` echo server, without per-message logging.
const { WebSocketServer } = require('ws');

const port = Number(process.env.PORT || 8081);
const wss = new WebSocketServer({ host: '127.0.0.1', port });

wss.on('connection', (ws) => {
  ws.on('message', (message) => {
    ws.send(`Server received: ${message}`);
  });
});

wss.on('listening', () => console.log(`ws echo listening on 127.0.0.1:${port}`));
