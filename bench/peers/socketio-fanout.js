// Socket.IO broadcast in the usual style for a live feed: clients emit 'subscribe' with a room name
// and get 'subscribed'; a POST of {"data": ...} to /events broadcasts 'event' with that data to every
// socket in the room named by ?room= (default "bench"). One process, no adapter.
const http = require('http');
const { Server } = require('socket.io');

const port = Number(process.env.PORT || 8084);

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  if (req.method !== 'POST' || url.pathname !== '/events') {
    res.writeHead(404).end();
    return;
  }
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    let body;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch (e) {
      res.writeHead(400).end();
      return;
    }
    io.to(url.searchParams.get('room') || 'bench').emit('event', body.data);
    res.writeHead(202, { 'Content-Type': 'application/json' }).end('{}');
  });
});

const io = new Server(server, { transports: ['websocket'] });
io.on('connection', (socket) => {
  socket.on('subscribe', async (room) => {
    await socket.join(String(room));
    socket.emit('subscribed', room);
  });
});

server.listen(port, '127.0.0.1', () => console.log(`socket.io fan-out listening on 127.0.0.1:${port}`));
