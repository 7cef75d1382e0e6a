// The reference automerge-repo sync server for the relay load benchmark
// (bench/load.mjs): a Repo from @automerge/automerge-repo with the Node
// WebSocket server adapter (on `ws`) and file storage, as the automerge-repo
// project's own sync server is built. It holds documents it is sent and
// syncs them with the peers that ask (share policy: announce nothing), like
// our relay; it has no tokens.
//
// `node bench/reference-server.mjs <port> <data dir>`; prints
// "reference server listening on ws://127.0.0.1:<port>" once it accepts.
import { Repo } from '@automerge/automerge-repo';
import { NodeWSServerAdapter } from '@automerge/automerge-repo-network-websocket';
import { NodeFSStorageAdapter } from '@automerge/automerge-repo-storage-nodefs';
import { WebSocketServer } from 'ws';

const [port, dataDir] = process.argv.slice(2);
if (!port || !dataDir) throw new Error('usage: reference-server.mjs <port> <data dir>');

const socket = new WebSocketServer({ host: '127.0.0.1', port: Number(port) });
// The repo lives as long as the process; nothing else needs a handle on it.
new Repo({
  network: [new NodeWSServerAdapter(socket)],
  storage: new NodeFSStorageAdapter(dataDir),
  peerId: `reference-server-${process.pid}`,
  sharePolicy: async () => false,
});
socket.on('listening', () => console.log(`reference server listening on ws://127.0.0.1:${port}`));
process.on('SIGTERM', () => socket.close(() => process.exit(0)));
