// The debug hook of the local LB for `attach`: a loopback JSON-lines endpoint that mirrors the next client connection's first flight.
//
// Protocol (one JSON object a line):
//   debugger -> LB  {"op":"attach"}
//   LB -> debugger  {"op":"attached"}
//                   {"op":"connection","conn":N,"clientIp":..,"clientPort":..}     the next connection accepted
//                   {"op":"clientData","conn":N,"hex":".."}                          each client chunk while the script runs
//                   {"op":"decision","conn":N,"decision":{...}}                      the LB's own decision, for comparison
//                   {"op":"end","conn":N,"reason":"pipe"|"reset"|"close"}           the script phase is over
// Why a mirror and not a live pause: pausing inside the proxy would stall its event loop (every other client) and the
// client's CONNECT timer; the same bytes in the same segments replay deterministically in the debug VM instead.
import { createServer, type Server, type Socket } from 'node:net';

/** What the hook listens to: the LbProxy's emitter, plus one event the proxy emits per client chunk in the script phase. */
export interface DebugHookSource {
  on(event: 'connection', listener: (e: { conn: number; clientIp: string; clientPort: number }) => void): unknown;
  on(event: 'client-data', listener: (e: { conn: number; bytes: Uint8Array }) => void): unknown;
  on(event: 'decision', listener: (e: { conn: number } & Record<string, unknown>) => void): unknown;
  on(event: 'pipe' | 'reset' | 'close', listener: (e: { conn: number }) => void): unknown;
}

export type HookMessage =
  | { op: 'attached' }
  | { op: 'connection'; conn: number; clientIp: string; clientPort: number }
  | { op: 'clientData'; conn: number; hex: string }
  | { op: 'decision'; conn: number; decision: Record<string, unknown> }
  | { op: 'end'; conn: number; reason: 'pipe' | 'reset' | 'close' };

export const DEFAULT_HOOK_ADDRESS = '127.0.0.1:18839';

/** Serves debuggers on loopback; each attached debugger gets the next connection that starts after it attached. */
export function startDebugHook(source: DebugHookSource, port = 0): Promise<{ server: Server; port: number }> {
  const waiting = new Set<Socket>();
  const following = new Map<number, Socket>();
  const send = (s: Socket, m: HookMessage) => { if (!s.destroyed) s.write(JSON.stringify(m) + '\n'); };
  source.on('connection', (e) => {
    const s = waiting.values().next().value;
    if (!s) return;
    waiting.delete(s);
    following.set(e.conn, s);
    send(s, { op: 'connection', conn: e.conn, clientIp: e.clientIp, clientPort: e.clientPort });
  });
  source.on('client-data', (e) => { const s = following.get(e.conn); if (s) send(s, { op: 'clientData', conn: e.conn, hex: Buffer.from(e.bytes).toString('hex') }); });
  source.on('decision', (e) => { const s = following.get(e.conn); if (s) send(s, { op: 'decision', conn: e.conn, decision: e }); });
  for (const reason of ['pipe', 'reset', 'close'] as const) {
    source.on(reason, (e) => {
      const s = following.get(e.conn);
      if (!s) return;
      following.delete(e.conn);
      send(s, { op: 'end', conn: e.conn, reason });
    });
  }
  const server = createServer((socket) => {
    let buffered = '';
    socket.on('data', (d) => {
      buffered += d.toString('utf8');
      for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        if (line.includes('"attach"')) { waiting.add(socket); send(socket, { op: 'attached' }); }
      }
    });
    socket.on('close', () => waiting.delete(socket));
    socket.on('error', () => undefined);
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => {
    const a = server.address();
    resolve({ server, port: typeof a === 'object' && a ? a.port : port });
  }));
}
