// The soak: connect/publish/disconnect churn (plus garbage and stalled clients) through an LB child process for a set time; RSS, fds and Lua contexts sampled.
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import * as mqttPacket from 'mqtt-packet';
import { MosquittoBroker } from '../../runtime/cli/brokers/mosquittoProcess';
import { connectForConnack, stallPartialConnect, type Version } from './rawMqttClient';
import type { SoakLbMessage, SoakSample } from './soakLb';
import * as net from 'node:net';

export interface SoakOptions {
  durationMs: number;
  /** Concurrent churning clients. */
  workers: number;
  sampleEveryMs: number;
  log: (line: string) => void;
}

export interface SoakFigures {
  durationS: number;
  cycles: number;
  cyclesPerS: number;
  failedCycles: number;
  failures: string[];
  garbageResets: number;
  stalledClosed: number;
  idle: SoakSample;
  baseline: SoakSample;
  final: SoakSample;
  maxRssBytes: number;
  rssGrowth: number;
  leakedFds: number;
}

class LbChild {
  private waiters: ((m: SoakLbMessage) => void)[] = [];
  constructor(readonly child: ChildProcess) {
    child.on('message', (m: SoakLbMessage) => {
      const w = this.waiters;
      this.waiters = [];
      for (const f of w) f(m);
    });
  }

  next(): Promise<SoakLbMessage> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  async sample(): Promise<SoakSample> {
    const reply = this.next();
    this.child.send({ type: 'sample' });
    const m = await reply;
    if (m.type !== 'sample') throw new Error(`unexpected ${m.type}`);
    return m.sample;
  }
}

/** CONNECT, CONNACK, PUBLISH QoS 1, PUBACK, DISCONNECT, close. Resolves null on success, else why it failed. */
async function churnCycle(port: number, id: string, version: Version): Promise<string | null> {
  const r = await connectForConnack(port, id, version);
  if (!r.ok) return `connect: ${r.failure}`;
  const publish = mqttPacket.generate({ cmd: 'publish', topic: `soak/${id}`, payload: Buffer.from('x'.repeat(64)), qos: 1, messageId: 1, retain: false, dup: false }, { protocolVersion: version });
  const acked = new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), 10_000);
    r.socket.on('data', (d: Buffer) => {
      if (d.includes(0x40)) {
        clearTimeout(timer);
        resolve(true);
      }
    });
    r.socket.once('close', () => resolve(false));
  });
  r.socket.write(publish);
  if (!(await acked)) {
    r.socket.destroy();
    return 'no PUBACK';
  }
  r.socket.end(Buffer.from([0xe0, 0x00]));
  await r.ended;
  return null;
}

/** Garbage: the script resets it. Resolves true when it was reset. */
function garbage(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => s.write('GET / HTTP/1.1\r\n\r\n'));
    s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ECONNRESET'));
    s.on('close', () => resolve(false));
  });
}

export async function runSoak(options: SoakOptions): Promise<SoakFigures> {
  const brokers = await Promise.all([0, 1, 2].map(() => MosquittoBroker.start()));
  const child = fork(join(__dirname, 'soakLb.js'), [], {
    execArgv: ['--expose-gc'],
    env: { ...process.env, SOAK_BROKER_PORTS: brokers.map((b) => b.port).join(','), SOAK_FIRST_FLIGHT_MS: '2000' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const lb = new LbChild(child);
  try {
    const ready = await lb.next();
    if (ready.type !== 'ready') throw new Error('LB child did not start');
    const port = ready.port;
    const idle = await lb.sample();
    const started = performance.now();
    const warmUpMs = Math.max(5000, options.durationMs * 0.1);
    const stopAt = started + options.durationMs;
    let cycles = 0;
    let garbageResets = 0;
    let stalledClosed = 0;
    const failures: string[] = [];
    const stalledEnds: Promise<void>[] = [];
    const worker = async (w: number) => {
      for (let n = 0; performance.now() < stopAt; n++) {
        const id = `soak-${w}-${n % 500}`;
        const why = await churnCycle(port, id, ([3, 4, 5] as const)[n % 3]);
        cycles++;
        if (why) failures.push(`${id}: ${why}`);
        if (n % 50 === 7 && (await garbage(port))) garbageResets++;
        if (n % 100 === 13) {
          const s = await stallPartialConnect(port, `stall-${w}-${n}`, 5);
          stalledEnds.push(s.ended.then((how) => { if (how === 'closed') stalledClosed++; }));
        }
      }
    };
    const load = Promise.all(Array.from({ length: options.workers }, (_, w) => worker(w)));
    await new Promise((r) => setTimeout(r, warmUpMs));
    const baseline = await lb.sample();
    options.log(`baseline after ${(warmUpMs / 1000).toFixed(0)} s warm-up: RSS ${(baseline.rssBytes / 2 ** 20).toFixed(1)} MiB, fds ${baseline.openFds}, cycles ${cycles}`);
    let maxRssBytes = baseline.rssBytes;
    const sampler = setInterval(() => {
      void lb.sample().then((s) => {
        maxRssBytes = Math.max(maxRssBytes, s.rssBytes);
        options.log(`${((performance.now() - started) / 1000).toFixed(0)} s: ${cycles} cycles, ${failures.length} failed, RSS ${(s.rssBytes / 2 ** 20).toFixed(1)} MiB, fds ${s.openFds}, live contexts ${s.liveContexts}, active ${s.activeConnections}, Lua heap ${s.luaHeapBytes} B`);
      });
    }, options.sampleEveryMs);
    await load;
    clearInterval(sampler);
    await Promise.all(stalledEnds);
    // Every client has seen its close; the LB's side may trail by a tick or two.
    let final = await lb.sample();
    for (let i = 0; i < 50 && final.activeConnections > 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      final = await lb.sample();
    }
    const durationS = (performance.now() - started) / 1000;
    return {
      durationS, cycles, cyclesPerS: cycles / durationS, failedCycles: failures.length, failures: failures.slice(0, 20), garbageResets, stalledClosed,
      idle, baseline, final, maxRssBytes: Math.max(maxRssBytes, final.rssBytes),
      rssGrowth: (final.rssBytes - baseline.rssBytes) / baseline.rssBytes,
      leakedFds: final.openFds - idle.openFds,
    };
  } finally {
    child.send({ type: 'stop' });
    await Promise.race([once(child, 'exit'), new Promise((r) => setTimeout(r, 5000))]);
    child.kill('SIGKILL');
    await Promise.all(brokers.map((b) => b.stop()));
  }
}
