// The bench's workloads, each run on one target per call with the load generator (its own process): MQTT storms, serial connects, throughput, idle; the native-path storm; syslog flood and paced.
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { BenchSettings, RepMetrics } from './benchTypes';
import type { Target } from './benchTargets';
import type { LoadReply, LoadRequest } from './loadGenProcess';
import { treeBackgroundCpuSeconds, treeCpuSeconds, treeRssBytes } from './procStat';
import { percentile } from './stats';

export class LoadGenerator {
  private pending: ((reply: LoadReply) => void) | null = null;

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (m: LoadReply) => {
      const p = this.pending;
      this.pending = null;
      p?.(m);
    });
    child.on('exit', () => this.pending?.({ op: 'error', message: 'the load generator exited' }));
  }

  static start(): LoadGenerator {
    return new LoadGenerator(fork(join(__dirname, 'loadGenProcess.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  }

  async request<Op extends LoadReply['op']>(req: LoadRequest, op: Op): Promise<Extract<LoadReply, { op: Op }>> {
    const reply = await new Promise<LoadReply>((resolve) => {
      this.pending = resolve;
      this.child.send(req);
    });
    if (reply.op === 'error') throw new Error(reply.message);
    if (reply.op !== op) throw new Error(`load generator answered ${reply.op} to ${req.op}`);
    return reply as Extract<LoadReply, { op: Op }>;
  }

  stop(): void {
    this.child.send({ op: 'exit' } satisfies LoadRequest);
  }
}

/** Which processes stand behind the target columns: MQTT, the runtime without client.on_data, syslog. */
export type Family = 'mqtt' | 'native' | 'syslog';

export interface Workload {
  name: string;
  family: Family;
  run(gen: LoadGenerator, t: Target, rep: number, out: RepMetrics): Promise<void>;
}

const cpuOf = (t: Target) => (t.pid === null ? Number.NaN : treeCpuSeconds(t.pid));
const backgroundCpuOf = (t: Target) => (t.pid === null ? Number.NaN : treeBackgroundCpuSeconds(t.pid));
const rssOf = (t: Target) => (t.pid === null ? Number.NaN : treeRssBytes(t.pid));

/** Held connections, released; connects/s and proxy CPU per connection over the whole cycle. */
async function storm(gen: LoadGenerator, t: Target, s: BenchSettings, idPrefix: string): Promise<{ connectsPerSec: number; cpuUsPerConnect: number; backgroundCpuUsPerConnect: number }> {
  const cpu0 = cpuOf(t);
  const background0 = backgroundCpuOf(t);
  const r = await gen.request({ op: 'open', port: t.port, count: s.stormConnections, inFlight: s.stormInFlight, idPrefix, timeoutMs: 90_000 }, 'open');
  await gen.request({ op: 'release' }, 'release');
  // The whole cycle (accept, script, decision, backend connect, teardown) per connection.
  return {
    connectsPerSec: (r.count / r.elapsedMs) * 1000,
    cpuUsPerConnect: ((cpuOf(t) - cpu0) * 1e6) / r.count,
    backgroundCpuUsPerConnect: ((backgroundCpuOf(t) - background0) * 1e6) / r.count,
  };
}

function syslogRun(gen: LoadGenerator, t: Target, s: BenchSettings, run: string, paced: boolean) {
  if (!t.sinks) throw new Error(`${t.name} has no rsyslog sinks`);
  const perConnection = Math.ceil((paced ? s.syslogPacedMessages : s.syslogMessages) / s.syslogConnections);
  const timeoutMs = 60_000 + (paced ? perConnection * s.syslogPacedIntervalMs : 60_000);
  return gen.request(
    { op: 'syslog', port: t.port, sinks: t.sinks, run, connections: s.syslogConnections, perConnection, messageBytes: s.syslogMessageBytes, paceMs: paced ? s.syslogPacedIntervalMs : null, timeoutMs },
    'syslog',
  );
}

export function workloads(s: BenchSettings): Workload[] {
  const throughput = (messageBytes: number, mib: number, rateKey: 'throughput1kMBps' | 'throughput16kMBps', cpuKey: 'cpuSecPerGb1k' | 'cpuSecPerGb16k'): Workload => ({
    name: `throughput ${messageBytes / 1024} KiB`,
    family: 'mqtt',
    run: async (gen, t, rep, out) => {
      const cpu0 = cpuOf(t);
      const r = await gen.request({ op: 'throughput', port: t.port, clientId: `tp${messageBytes}-${rep}-${t.name}`, messageBytes, totalBytes: mib * 1024 * 1024, timeoutMs: 180_000 }, 'throughput');
      out[rateKey] = r.bytes / 1e6 / (r.elapsedMs / 1000);
      out[cpuKey] = (cpuOf(t) - cpu0) / (r.bytes / 1e9);
    },
  });
  return [
    {
      name: 'storm',
      family: 'mqtt',
      run: async (gen, t, rep, out) => {
        Object.assign(out, await storm(gen, t, s, `storm-${rep}-${t.name}`));
      },
    },
    {
      // Right after the MQTT storm, the same storm on the runtime without client.on_data: the difference is the script phase.
      name: 'storm, no on_data',
      family: 'native',
      run: async (gen, t, rep, out) => {
        out.nativeCpuUsPerConnect = (await storm(gen, t, s, `native-${rep}-${t.name}`)).cpuUsPerConnect;
        out.scriptUsPerConnect = out.cpuUsPerConnect - out.nativeCpuUsPerConnect;
      },
    },
    {
      name: 'serial',
      family: 'mqtt',
      run: async (gen, t, rep, out) => {
        const r = await gen.request({ op: 'serial', port: t.port, count: s.serialConnects, idPrefix: `serial-${rep}-${t.name}`, timeoutMs: 90_000 }, 'serial');
        out.latencyP50Ms = percentile(r.samplesMs, 50);
        out.latencyP99Ms = percentile(r.samplesMs, 99);
      },
    },
    throughput(1024, s.throughputMiB1k, 'throughput1kMBps', 'cpuSecPerGb1k'),
    throughput(16 * 1024, s.throughputMiB16k, 'throughput16kMBps', 'cpuSecPerGb16k'),
    {
      name: 'idle',
      family: 'mqtt',
      run: async (gen, t, rep, out) => {
        const rss0 = rssOf(t);
        const r = await gen.request({ op: 'open', port: t.port, count: s.idleConnections, inFlight: s.stormInFlight, idPrefix: `idle-${rep}-${t.name}`, timeoutMs: 180_000 }, 'open');
        const rss1 = rssOf(t);
        await gen.request({ op: 'release' }, 'release');
        // The delta is noisy (a GC between the two reads can make it small or negative); the absolute RSS is the goal's measure.
        out.idleKBPerConn = (rss1 - rss0) / r.count / 1000;
        out.idleRssMB = rss1 / 1e6;
      },
    },
    {
      name: 'syslog flood',
      family: 'syslog',
      run: async (gen, t, rep, out) => {
        const cpu0 = cpuOf(t);
        const r = await syslogRun(gen, t, s, `flood-${rep}-${t.name}`, false);
        out.messagesPerSec = (r.messages / r.elapsedMs) * 1000;
        out.cpuUsPerMessage = ((cpuOf(t) - cpu0) * 1e6) / r.messages;
      },
    },
    {
      name: 'syslog paced',
      family: 'syslog',
      run: async (gen, t, rep, out) => {
        const r = await syslogRun(gen, t, s, `paced-${rep}-${t.name}`, true);
        out.messageLatencyP50Ms = percentile(r.latenciesMs, 50);
        out.messageLatencyP99Ms = percentile(r.latenciesMs, 99);
      },
    },
  ];
}
