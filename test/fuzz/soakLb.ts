// The soak's LB process: the real LbProxy and engine running examples/mqtt.lua, answering IPC samples (RSS, open fds, live Lua contexts).
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadExtension } from '../../runtime/ns/loadExtension';
import { LbProxy } from '../../runtime/proxy/lbProxy';

export interface SoakSample {
  rssBytes: number;
  heapUsedBytes: number;
  /** Entries of /proc/self/fd: sockets, pipes, files this process holds. */
  openFds: number;
  /** Connection contexts opened on the script and not yet disposed. */
  liveContexts: number;
  /** Bytes of the script's Lua heap. */
  luaHeapBytes: number;
  activeConnections: number;
  totalConnections: number;
}

export type SoakLbMessage = { type: 'ready'; port: number } | { type: 'sample'; sample: SoakSample };

async function main(): Promise<void> {
  const ports = (process.env.SOAK_BROKER_PORTS ?? '').split(',').filter(Boolean).map(Number);
  const firstFlightTimeoutMs = Number(process.env.SOAK_FIRST_FLIGHT_MS ?? 2000);
  const file = resolve(__dirname, '..', '..', '..', 'examples', 'mqtt.lua');
  const loader = (source: string, name: string) => loadExtension(source, name);
  const script = await loader(readFileSync(file, 'utf8'), 'examples/mqtt.lua');
  const proxy = new LbProxy({
    services: ports.map((port, i) => ({ id: `b${i + 1}`, host: '127.0.0.1', port })),
    method: 'USER_TOKEN',
    persistence: 'USERSESSION',
    activeHealthChecks: false,
    limits: { firstFlightTimeoutMs },
    script,
    loader,
  });
  const { port } = await proxy.start();
  const gc = (globalThis as { gc?: () => void }).gc;
  const send = (m: SoakLbMessage) => process.send?.(m);
  process.on('message', (m: unknown) => {
    if ((m as { type?: string }).type === 'sample') {
      gc?.();
      const stats = proxy.stats();
      send({
        type: 'sample',
        sample: {
          rssBytes: process.memoryUsage().rss,
          heapUsedBytes: process.memoryUsage().heapUsed,
          openFds: readdirSync(join('/proc', 'self', 'fd')).length,
          liveContexts: script.liveConnections,
          luaHeapBytes: script.state.memory.used,
          activeConnections: stats.connections.active,
          totalConnections: stats.connections.total,
        },
      });
    } else if ((m as { type?: string }).type === 'stop') {
      void proxy.stop().then(() => process.exit(0));
    }
  });
  process.once('disconnect', () => process.exit(0));
  send({ type: 'ready', port });
}

void main();
