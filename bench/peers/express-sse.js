// The classic Express SSE server, extended to broadcast every published event to every open stream.
//   GET  /events   text/event-stream
//   POST /events   {"data": <any JSON>} -> 202 {"id": "<n>"}, then `id: <n>` / `data: <json>` to every stream
const express = require('express');

const port = Number(process.env.PORT || 8082);
const app = express();
app.use(express.json({ limit: '64kb' }));

let clients = new Set();
let nextId = 1;

app.get('/events', (req, res) => {
  res.set({
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-cache',
    Connection: 'keep-alive',
  });
  res.flushHeaders();
  clients.add(res);
  req.on('close', () => clients.delete(res));
});

app.post('/events', (req, res) => {
  const id = String(nextId++);
  const data = req.body && 'data' in req.body ? req.body.data : req.body;
  const frame = `id: ${id}\ndata: ${JSON.stringify(data)}\n\n`;
  for (const client of clients) {
    client.write(frame);
  }
  res.status(202).json({ id });
});

app.listen(port, '127.0.0.1', () => console.log(`express sse listening on 127.0.0.1:${port}`));
