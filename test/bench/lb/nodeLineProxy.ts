// The syslog bench's plain Node proxy: net.Socket streams, each LF-terminated line to the next backend round-robin (message-based balancing without a script).
//   node out/test/bench/lb/nodeLineProxy.js --listen 127.0.0.1:PORT --backend 127.0.0.1:P1 [--backend ...]
// Prints one "ready: ..." line on stdout once it listens; runs until killed.
import * as net from 'node:net';
import { parseArgs } from 'node:util';
import { parseAddress, type Address } from './nodeFloorProxy';

const LF = 0x0a;

/**
 * Written the usual Node way: per client one connection to every backend, `on('data')`, split at LF,
 * `write` each whole line to the next backend (one counter for the proxy, as ROUNDROBIN has one per
 * vserver), keep the unfinished tail for the next chunk. A backend over its high-water mark pauses
 * the client until it drains; the client's FIN ends every backend; an error on any side ends them all.
 */
function bridge(client: net.Socket, backendAddresses: readonly Address[], nextBackend: () => number): void {
  const backends = backendAddresses.map((a) => net.connect({ ...a, allowHalfOpen: true }));
  const all = [client, ...backends];
  for (const s of all) {
    s.setNoDelay(true);
    s.on('error', () => undefined);
    s.once('close', (hadError) => {
      if (hadError) for (const other of all) other.destroy();
    });
  }
  let tail: Buffer | null = null;
  // The backends over their high-water mark (a set: one of them may refuse several lines before it drains once).
  const blocked = new Set<net.Socket>();
  for (const b of backends) {
    b.on('drain', () => {
      blocked.delete(b);
      if (blocked.size === 0) client.resume();
    });
    b.resume(); // syslog servers send nothing back; read (and drop) whatever comes so a close is seen
  }
  client.on('data', (chunk: Buffer) => {
    const data = tail ? Buffer.concat([tail, chunk]) : chunk;
    let start = 0;
    for (let lf = data.indexOf(LF); lf >= 0; lf = data.indexOf(LF, start)) {
      const backend = backends[nextBackend()];
      // A view, no copy: every 'data' chunk is a buffer of its own, which a queued write may keep.
      if (!backend.write(data.subarray(start, lf + 1))) {
        blocked.add(backend);
        client.pause();
      }
      start = lf + 1;
    }
    tail = start < data.length ? data.subarray(start) : null;
  });
  client.on('end', () => {
    for (const b of backends) b.end();
  });
}

export function startLineProxy(listen: Address, backends: readonly Address[]): Promise<net.Server> {
  if (backends.length === 0) throw new Error('at least one --backend is needed');
  let next = 0;
  const nextBackend = () => {
    const i = next;
    next = (next + 1) % backends.length;
    return i;
  };
  const server = net.createServer({ allowHalfOpen: true }, (client) => bridge(client, backends, nextBackend));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => resolve(server));
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { listen: { type: 'string' }, backend: { type: 'string', multiple: true } } });
  if (!values.listen) throw new Error('--listen host:port is required');
  const listen = parseAddress(values.listen);
  const backends = (values.backend ?? []).map(parseAddress);
  await startLineProxy(listen, backends);
  process.stdout.write(`ready: node line proxy on ${listen.host}:${listen.port} -> ${backends.map((b) => `${b.host}:${b.port}`).join(', ')}\n`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`node line proxy: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  });
}
