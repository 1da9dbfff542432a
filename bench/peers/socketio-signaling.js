// Socket.IO signaling server in the classic style (join a room, relay to a target socket id), with
// @socket.io/redis-adapter so that peers connected to different instances reach each other.
//   emit('join', room)                 -> 'joined' {room, id, peers}; others get 'peer-joined' id
//   emit('signal', {target, ...})      -> target gets 'signal' {..., from}
const http = require('http');
const { Server } = require('socket.io');
const { createAdapter } = require('@socket.io/redis-adapter');
const { createClient } = require('redis');

const port = Number(process.env.PORT || 8083);
const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

async function main() {
  const pubClient = createClient({ url: redisUrl });
  const subClient = pubClient.duplicate();
  await Promise.all([pubClient.connect(), subClient.connect()]);

  const server = http.createServer();
  const io = new Server(server, { adapter: createAdapter(pubClient, subClient), transports: ['websocket'] });

  io.on('connection', (socket) => {
    socket.on('join', async (room) => {
      await socket.join(room);
      const peers = (await io.in(room).fetchSockets()).map((s) => s.id).filter((id) => id !== socket.id);
      socket.emit('joined', { room, id: socket.id, peers });
      socket.to(room).emit('peer-joined', socket.id);
    });
    socket.on('signal', (message) => {
      if (message && typeof message.target === 'string') {
        io.to(message.target).emit('signal', { ...message, from: socket.id });
      }
    });
  });

  server.listen(port, '127.0.0.1', () => console.log(`socket.io listening on 127.0.0.1:${port}`));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
