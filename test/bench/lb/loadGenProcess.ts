// The load generator as its own process (forked by the bench): runs one workload per IPC request (MQTT or syslog) and answers with its numbers.
import { openHeld, pipedThroughput, serialConnects, type HeldConnections } from './loadWorkloads';
import { syslogWorkload, type SyslogRequest, type SyslogResult } from './syslogWorkloads';

export type LoadRequest =
  | { op: 'open'; port: number; count: number; inFlight: number; idPrefix: string; timeoutMs: number }
  | { op: 'release' }
  | { op: 'serial'; port: number; count: number; idPrefix: string; timeoutMs: number }
  | { op: 'throughput'; port: number; clientId: string; messageBytes: number; totalBytes: number; timeoutMs: number }
  | ({ op: 'syslog' } & SyslogRequest)
  | { op: 'exit' };

export type LoadReply =
  | { op: 'open'; elapsedMs: number; count: number }
  | { op: 'release' }
  | { op: 'serial'; samplesMs: number[] }
  | { op: 'throughput'; bytes: number; elapsedMs: number }
  | ({ op: 'syslog' } & SyslogResult)
  | { op: 'error'; message: string };

let held: HeldConnections | null = null;

async function handle(req: LoadRequest): Promise<LoadReply> {
  switch (req.op) {
    case 'open':
      if (held) throw new Error('connections are already held; release them first');
      held = await openHeld(req.port, req.count, req.inFlight, req.idPrefix, req.timeoutMs);
      return { op: 'open', elapsedMs: held.elapsedMs, count: held.count };
    case 'release': {
      const h = held;
      held = null;
      await h?.release();
      return { op: 'release' };
    }
    case 'serial':
      return { op: 'serial', samplesMs: await serialConnects(req.port, req.count, req.idPrefix, req.timeoutMs) };
    case 'throughput': {
      const r = await pipedThroughput(req.port, req.clientId, req.messageBytes, req.totalBytes, req.timeoutMs);
      return { op: 'throughput', ...r };
    }
    case 'syslog':
      return { op: 'syslog', ...(await syslogWorkload(req)) };
    case 'exit':
      process.exit(0);
  }
}

if (require.main === module) {
  if (!process.send) throw new Error('loadGenProcess must be forked with an IPC channel');
  process.on('message', (req: LoadRequest) => {
    handle(req).then(
      (reply) => process.send?.(reply),
      (err: unknown) => process.send?.({ op: 'error', message: err instanceof Error ? err.message : String(err) }),
    );
  });
  process.on('disconnect', () => process.exit(0));
}
