// The adapter's side of `attach`: asks the LB's debug hook for the next connection and collects its first flight as deliveries.
import { connect } from 'node:net';
import { DEFAULT_HOOK_ADDRESS, type HookMessage } from './attachHook';

export interface MirroredConnection {
  conn: number;
  client: string;
  deliveries: Uint8Array[];
  /** The LB's own decision for this connection, when it made one. */
  lbDecision: Record<string, unknown> | null;
  endReason: string;
}

/** `onAttached` fires once the LB accepted the subscription (the user can now connect a client). */
export function mirrorNextConnection(address: string | undefined, onAttached: () => void, timeoutMs = 120_000): Promise<MirroredConnection> {
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(address ?? DEFAULT_HOOK_ADDRESS);
  if (!m) return Promise.reject(new Error(`attach: "${address}" is not HOST:PORT`));
  return new Promise((resolve, reject) => {
    const socket = connect({ host: m[1], port: Number(m[2]) });
    const result: MirroredConnection = { conn: 0, client: '', deliveries: [], lbDecision: null, endReason: '' };
    const timer = setTimeout(() => { socket.destroy(); reject(new Error(`attach: no client connection within ${timeoutMs / 1000} s`)); }, timeoutMs);
    let buffered = '';
    const finish = () => { clearTimeout(timer); socket.end(); resolve(result); };
    socket.on('connect', () => socket.write(JSON.stringify({ op: 'attach' }) + '\n'));
    socket.on('error', (e) => { clearTimeout(timer); reject(new Error(`attach: cannot reach the local LB debug hook at ${m[1]}:${m[2]} (${e.message}); start the LB with its debug hook enabled`)); });
    socket.on('data', (d) => {
      buffered += d.toString('utf8');
      for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
        const msg = JSON.parse(buffered.slice(0, nl)) as HookMessage;
        buffered = buffered.slice(nl + 1);
        if (msg.op === 'attached') onAttached();
        else if (msg.op === 'connection') { result.conn = msg.conn; result.client = `${msg.clientIp}:${msg.clientPort}`; }
        else if (msg.op === 'clientData') result.deliveries.push(Uint8Array.from(Buffer.from(msg.hex, 'hex')));
        else if (msg.op === 'decision') result.lbDecision = msg.decision;
        else if (msg.op === 'end') { result.endReason = msg.reason; finish(); return; }
      }
    });
  });
}
