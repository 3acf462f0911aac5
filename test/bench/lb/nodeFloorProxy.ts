// The LB bench's "plain Node proxy": the cheapest TCP proxy on plain net.Socket streams (no script, no parsing, no hashing, no persistence), so every run shows what net.Socket alone costs.
//   node out/test/bench/lb/nodeFloorProxy.js --listen 127.0.0.1:PORT --backend 127.0.0.1:P1 [--backend ...] [--forward data|pipe]
// Prints one "ready: ..." line on stdout once it listens; runs until killed.
import * as net from 'node:net';
import { parseArgs } from 'node:util';

/**
 * How bytes cross: 'data' (on('data') + write, pause/resume; the default) or 'pipe' (socket.pipe). On this bench
 * 'data' measured cheaper: fewer listeners per socket (less RSS per idle connection, less CPU per connect) and
 * no more per chunk; it is also how the runtime forwards, so the comparison is like for like.
 */
export type ForwardMode = 'data' | 'pipe';

export interface Address {
  host: string;
  port: number;
}

export function parseAddress(text: string): Address {
  const colon = text.lastIndexOf(':');
  const port = Number(text.slice(colon + 1));
  if (colon <= 0 || !Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`not host:port: ${text}`);
  return { host: text.slice(0, colon), port };
}

/** on('data') + write, pausing `from` while `to` is over its high-water mark: what socket.pipe does, minus the stream plumbing. */
function forwardData(from: net.Socket, to: net.Socket): void {
  from.on('data', (chunk: Buffer) => {
    if (!to.write(chunk)) from.pause();
  });
  to.on('drain', () => from.resume());
  from.on('end', () => to.end());
}

function forward(from: net.Socket, to: net.Socket, mode: ForwardMode): void {
  // pipe() forwards the FIN too (end: true is its default).
  if (mode === 'pipe') from.pipe(to);
  else forwardData(from, to);
}

/**
 * One client, one backend. Both sides allow half-open so a FIN is forwarded rather than answered,
 * as HAProxy and the runtime do (the load generator's DISCONNECT + FIN waits for the broker's FIN).
 * A side that closes with an error (reset, refused connect) takes the other one down; a clean
 * close needs no help, the other side then has ended both ways too and autoDestroy closes it.
 */
function bridge(client: net.Socket, backendAddress: Address, mode: ForwardMode): void {
  const backend = net.connect({ ...backendAddress, allowHalfOpen: true });
  client.setNoDelay(true);
  backend.setNoDelay(true);
  client.on('error', () => undefined);
  backend.on('error', () => undefined);
  client.once('close', (hadError) => {
    if (hadError) backend.destroy();
  });
  backend.once('close', (hadError) => {
    if (hadError) client.destroy();
  });
  // Writes before the backend connects queue in its writable buffer, so the client's first bytes are not lost.
  forward(client, backend, mode);
  forward(backend, client, mode);
}

export function startFloorProxy(listen: Address, backends: readonly Address[], mode: ForwardMode): Promise<net.Server> {
  if (backends.length === 0) throw new Error('at least one --backend is needed');
  let next = 0;
  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    bridge(client, backends[next], mode);
    next = (next + 1) % backends.length;
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => resolve(server));
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { listen: { type: 'string' }, backend: { type: 'string', multiple: true }, forward: { type: 'string', default: 'data' } },
  });
  if (!values.listen) throw new Error('--listen host:port is required');
  const mode = values.forward;
  if (mode !== 'data' && mode !== 'pipe') throw new Error(`--forward must be data or pipe, not ${mode}`);
  const listen = parseAddress(values.listen);
  const backends = (values.backend ?? []).map(parseAddress);
  await startFloorProxy(listen, backends, mode);
  process.stdout.write(`ready: node floor proxy on ${listen.host}:${listen.port} -> ${backends.map((b) => `${b.host}:${b.port}`).join(', ')} (forward ${mode})\n`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`node floor proxy: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  });
}
