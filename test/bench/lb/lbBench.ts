// `npm run bench`: runtime vs HAProxy vs the plain Node proxy vs direct mosquitto, interleaved repetitions of five workloads; JSON, markdown and SVG into bench/results/.
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { findMosquitto, type MosquittoBroker } from '../../../runtime/cli/brokers/mosquittoProcess';
import { ensureCliBuilt } from '../../integration/helpers/cliProcess';
import { REPO } from '../../integration/helpers/lbHarness';
import { FLOOR, METRICS, targetsOf, type BenchRun, type BenchSettings, type RepMetrics, type TargetName } from './benchTypes';
import { directTarget, missingTools, startHaproxy, startNodeFloor, startQuietBrokers, startRuntime, toolVersion, type Target } from './benchTargets';
import type { LoadReply, LoadRequest } from './loadGenProcess';
import { treeCpuSeconds, treeRssBytes } from './procStat';
import { renderMarkdown, summarizeRun } from './report';
import { percentile } from './stats';
import { renderSvg } from './svgChart';

const IDLE_GOAL = 10_000;
/** File descriptors the proxy needs besides two per idle connection (listeners, brokers, health checks, stdio). */
const FD_MARGIN = 200;

function nofileLimit(): number {
  const r = spawnSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' });
  const n = Number(r.stdout.trim());
  return Number.isFinite(n) ? n : 1024;
}

/** Re-runs this bench under a higher `ulimit -n` when the shell may raise it; false when it may not (not root, or a hard cap). */
function reexecWithMoreFiles(wanted: number): number | false {
  if (process.env.PROTOEXT_BENCH_NOFILE_RAISED) return false;
  if (spawnSync('sh', ['-c', `ulimit -n ${wanted}`]).status !== 0) return false;
  const quoted = [process.execPath, ...process.argv.slice(1)].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const r = spawnSync('sh', ['-c', `ulimit -n ${wanted} && exec ${quoted}`], { stdio: 'inherit', env: { ...process.env, PROTOEXT_BENCH_NOFILE_RAISED: '1' } });
  return r.status ?? 1;
}

class LoadGenerator {
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

function emptyMetrics(): RepMetrics {
  return Object.fromEntries(METRICS.map((m) => [m.id, Number.NaN])) as RepMetrics;
}

const cpuOf = (t: Target) => (t.pid === null ? Number.NaN : treeCpuSeconds(t.pid));
const rssOf = (t: Target) => (t.pid === null ? Number.NaN : treeRssBytes(t.pid));

interface Workload {
  name: string;
  run(gen: LoadGenerator, t: Target, rep: number, out: RepMetrics): Promise<void>;
}

function workloads(s: BenchSettings): Workload[] {
  const throughput = (messageBytes: number, mib: number, rateKey: 'throughput1kMBps' | 'throughput16kMBps', cpuKey: 'cpuSecPerGb1k' | 'cpuSecPerGb16k'): Workload => ({
    name: `throughput ${messageBytes / 1024} KiB`,
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
      run: async (gen, t, rep, out) => {
        const cpu0 = cpuOf(t);
        const r = await gen.request({ op: 'open', port: t.port, count: s.stormConnections, inFlight: s.stormInFlight, idPrefix: `storm-${rep}-${t.name}`, timeoutMs: 90_000 }, 'open');
        await gen.request({ op: 'release' }, 'release');
        out.connectsPerSec = (r.count / r.elapsedMs) * 1000;
        // The whole cycle (accept, script, decision, backend connect, teardown) per connection.
        out.cpuUsPerConnect = ((cpuOf(t) - cpu0) * 1e6) / r.count;
      },
    },
    {
      name: 'serial',
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
  ];
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { reps: { type: 'string' }, quick: { type: 'boolean' }, workers: { type: 'string' }, out: { type: 'string' }, 'no-floor': { type: 'boolean' }, 'floor-forward': { type: 'string' } },
  });
  const missing = missingTools();
  if (missing.length > 0) {
    process.stderr.write(`bench: missing ${missing.join(', ')}.\nInstall them with: sudo apt-get install haproxy mosquitto\n`);
    return 2;
  }
  const quick = values.quick ?? false;
  const floor = !(values['no-floor'] ?? false);
  const floorForward = values['floor-forward'] ?? 'data';
  if (floorForward !== 'data' && floorForward !== 'pipe') throw new Error('--floor-forward must be data or pipe');
  const wantedFiles = 2 * IDLE_GOAL + FD_MARGIN + 1000;
  let nofile = nofileLimit();
  if (nofile < wantedFiles) {
    const status = reexecWithMoreFiles(wantedFiles);
    if (status !== false) return status;
    nofile = nofileLimit();
  }
  const settings: BenchSettings = {
    repetitions: Number(values.reps ?? (quick ? 1 : 5)),
    quick,
    workers: Number(values.workers ?? 1),
    stormConnections: quick ? 500 : 2000,
    stormInFlight: 64,
    serialConnects: quick ? 50 : 500,
    throughputMiB1k: quick ? 16 : 128,
    throughputMiB16k: quick ? 64 : 512,
    idleConnections: Math.min(quick ? 1000 : IDLE_GOAL, Math.floor((nofile - FD_MARGIN) / 2)),
    nofileLimit: nofile,
  };
  if (!(settings.repetitions >= 1)) throw new Error('--reps must be a positive number');
  const notes: string[] = [
    'Runtime runs with --events none (no per-connection log lines), as HAProxy runs without a log directive.',
    'MB = 10^6 bytes. CPU is utime+stime of the proxy process tree from /proc/PID/stat (10 ms ticks), over the whole workload including teardown.',
    'Direct mosquitto has no proxy: its CPU and RSS columns are empty.',
  ];
  if (floor) {
    notes.push(
      `plain Node proxy: a proxy on plain net.Socket streams, a bare TCP pipe in plain Node (test/bench/lb/nodeFloorProxy.ts: net.createServer, one net.connect per client to the three brokers round-robin, setNoDelay, ` +
        `${floorForward === 'data' ? "on('data') + write with pause/resume" : 'socket.pipe'} both ways, half-close forwarded); no script, no MQTT parsing, no hashing, no persistence, no health checks. ` +
        'runtime / plain Node proxy above 1 is what the runtime adds to plain net.Socket; below 1, the runtime avoids part of that machinery.',
    );
  }
  if (nofile < wantedFiles && !quick) {
    notes.push(`ulimit -n could not be raised above ${nofile} (the hard limit; raising it needs CAP_SYS_RESOURCE, which this container lacks): the idle workload holds ${settings.idleConnections} connections, not 10,000 (a proxy needs two descriptors per connection); the RSS column is measured at that count.`);
  }
  ensureCliBuilt();
  process.stderr.write(`bench: ${settings.repetitions} repetitions${quick ? ' (quick)' : ''}${floor ? '' : ', no plain Node proxy'}, nofile ${nofile}\n`);

  const run: BenchRun = {
    startedAt: new Date().toISOString(),
    host: { cpus: cpus().length, loadavgStart: loadavg(), loadavgEnd: [], node: process.version, haproxy: toolVersion('haproxy', ['-v']), mosquitto: '' },
    settings,
    reps: floor ? { runtime: [], haproxy: [], [FLOOR]: [], direct: [] } : { runtime: [], haproxy: [], direct: [] },
    notes,
    errors: [],
  };
  const brokers: MosquittoBroker[] = await startQuietBrokers(4);
  run.host.mosquitto = toolVersion(findMosquitto() ?? 'mosquitto', ['-h']);
  const targets: Target[] = [];
  const gen = LoadGenerator.start();
  try {
    const lbBrokers = brokers.slice(0, 3);
    targets.push(await startRuntime(lbBrokers, settings.workers), await startHaproxy(lbBrokers), directTarget(brokers[3]));
    if (floor) targets.push(await startNodeFloor(lbBrokers, floorForward));
    const byName = (n: TargetName) => targets.find((t) => t.name === n)!;
    const measured = targetsOf(run.reps);
    for (let rep = 0; rep < settings.repetitions; rep++) {
      // Rotate the order each repetition so no target always runs first (or right after the heaviest one).
      const order = measured.map((_, i) => measured[(i + rep) % measured.length]);
      const results = Object.fromEntries(measured.map((t) => [t, emptyMetrics()])) as Record<TargetName, RepMetrics>;
      for (const w of workloads(settings)) {
        for (const name of order) {
          const started = Date.now();
          try {
            await w.run(gen, byName(name), rep, results[name]);
          } catch (err) {
            run.errors.push(`rep ${rep + 1} ${w.name} on ${name}: ${err instanceof Error ? err.message : String(err)}`);
          }
          process.stderr.write(`rep ${rep + 1}/${settings.repetitions} ${w.name.padEnd(17)} ${name.padEnd(10)} ${Date.now() - started} ms\n`);
        }
      }
      for (const t of measured) run.reps[t]?.push(results[t]);
    }
  } finally {
    gen.stop();
    for (const t of targets) await t.stop();
    await Promise.all(brokers.map((b) => b.stop()));
  }
  run.host.loadavgEnd = loadavg();
  const table = summarizeRun(run);
  const markdown = renderMarkdown(run, table);
  const dir = values.out ?? join(REPO, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const stamp = run.startedAt.replace(/[:.]/g, '-');
  for (const name of [`lb-${stamp}`, 'lb-latest']) {
    writeFileSync(join(dir, `${name}.json`), JSON.stringify(run, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n');
    writeFileSync(join(dir, `${name}.md`), markdown);
    writeFileSync(join(dir, `${name}.svg`), renderSvg(table, `protoext-lb vs HAProxy${floor ? ' vs plain Node proxy' : ''} vs direct mosquitto (1.0 = HAProxy) ${run.startedAt}`));
  }
  process.stdout.write(markdown);
  process.stderr.write(`bench: wrote ${join(dir, `lb-${stamp}`)}.{json,md,svg}\n`);
  return run.errors.length === 0 ? 0 : 1;
}

void main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exit(2);
  },
);
