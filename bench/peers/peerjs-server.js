// A single PeerJS server (the `peer` package); clients connect to /peerjs?key=peerjs&id=..&token=..
const { PeerServer } = require('peer');

const port = Number(process.env.PORT || 8084);
PeerServer({ host: '127.0.0.1', port, path: '/', concurrent_limit: 100000 }, () =>
  console.log(`peerjs listening on 127.0.0.1:${port}`));
