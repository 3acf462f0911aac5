// `npm run bench`: runtime vs HAProxy vs the plain Node proxy vs direct mosquitto (and, for syslog, rsyslog), interleaved repetitions of the workloads; JSON, markdown and SVG into bench/results/.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { findMosquitto, type MosquittoBroker } from '../../../runtime/cli/brokers/mosquittoProcess';
import type { RsyslogServer } from '../../../runtime/cli/brokers/rsyslogProcess';
import { ensureCliBuilt } from '../../integration/helpers/cliProcess';
import { LB_NODE_FLAGS } from '../../../runtime/cli/lbNodeFlags';
import { REPO } from '../../integration/helpers/lbHarness';
import { FLOOR, METRICS, targetsOf, type BenchRun, type BenchSettings, type RepMetrics, type TargetName } from './benchTypes';
import {
  NATIVE_LUA, directRsyslog, directTarget, missingTools, startHaproxy, startNodeFloor, startNodeLines, startQuietBrokers, startRuntime, startStampedRsyslogs, startSyslogRuntime, toolVersion, type Target,
} from './benchTargets';
import { LoadGenerator, workloads, type Family } from './benchWorkloads';
import { renderMarkdown, summarizeRun } from './report';
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

function emptyMetrics(): RepMetrics {
  return Object.fromEntries(METRICS.map((m) => [m.id, Number.NaN])) as RepMetrics;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { reps: { type: 'string' }, quick: { type: 'boolean' }, workers: { type: 'string' }, out: { type: 'string' }, 'no-floor': { type: 'boolean' }, 'floor-forward': { type: 'string' }, only: { type: 'string' } },
  });
  const missing = missingTools();
  if (missing.length > 0) {
    process.stderr.write(`bench: missing ${missing.join(', ')}.\nInstall them with: sudo apt-get install haproxy mosquitto rsyslog\n`);
    return 2;
  }
  const quick = values.quick ?? false;
  const floor = !(values['no-floor'] ?? false);
  const floorForward = values['floor-forward'] ?? 'data';
  if (floorForward !== 'data' && floorForward !== 'pipe') throw new Error('--floor-forward must be data or pipe');
  // A focused run while working on one path; the goals of the other family then show as not measured.
  const only = values.only;
  if (only !== undefined && only !== 'mqtt' && only !== 'syslog') throw new Error('--only must be mqtt or syslog');
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
    syslogMessages: quick ? 40_000 : 200_000,
    syslogConnections: 4,
    syslogPacedMessages: quick ? 1000 : 5000,
    syslogPacedIntervalMs: 4,
    syslogMessageBytes: 128,
  };
  if (!(settings.repetitions >= 1)) throw new Error('--reps must be a positive number');
  const notes: string[] = [
    `Runtime runs with --events none (no per-connection log lines), as HAProxy runs without a log directive, and with node ${LB_NODE_FLAGS.join(' ')} as the extension and npm start run it (runtime/cli/lbNodeFlags.ts).`,
    'MB = 10^6 bytes. CPU is utime+stime of the proxy process tree from /proc/PID/stat (10 ms ticks), over the whole workload including teardown.',
    'Direct mosquitto has no proxy: its CPU and RSS columns are empty.',
    'Script phase: in each repetition, right after the MQTT storm, the same storm runs on the runtime with test/bench/lb/nativePath.lua (no client.on_data: no Lua per connection); ' +
      'script phase = CPU per connect with examples/mqtt.lua minus CPU per connect without on_data, per repetition.',
    `Syslog rows: the runtime runs examples/syslog.lua with --protocol syslog --lb-method ROUNDROBIN --persistence NONE (one decision per message) over three rsyslog servers; ` +
      `"direct" is one rsyslog, the physical limit here; HAProxy 2.6 has no per-message balancing. Flood: ${settings.syslogMessages.toLocaleString('en-US')} messages of ${settings.syslogMessageBytes} bytes over ${settings.syslogConnections} connections, ` +
      'as fast as the path takes them; the clock stops when the last one is in the rsyslog output files. Paced: each connection writes one message every ' +
      `${settings.syslogPacedIntervalMs} ms (${settings.syslogPacedMessages.toLocaleString('en-US')} in all), stamped with its send time (wall clock, us); latency = rsyslog's receipt time (%timegenerated, us, same clock) minus that stamp. ` +
      'Every message is counted out of the rsyslog files by its number: a workload that loses or doubles one is an error, not a number.',
  ];
  if (floor) {
    notes.push(
      `plain Node proxy: a proxy on plain net.Socket streams, a bare TCP pipe in plain Node (test/bench/lb/nodeFloorProxy.ts: net.createServer, one net.connect per client to the three brokers round-robin, setNoDelay, ` +
        `${floorForward === 'data' ? "on('data') + write with pause/resume" : 'socket.pipe'} both ways, half-close forwarded); no script, no MQTT parsing, no hashing, no persistence, no health checks. ` +
        'runtime / plain Node proxy above 1 is what the runtime adds to plain net.Socket; below 1, the runtime avoids part of that machinery. ' +
        'For syslog it is test/bench/lb/nodeLineProxy.ts: per client a connection to each rsyslog, lines split at LF, each written to the next rsyslog round-robin.',
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
  const rsyslogs: RsyslogServer[] = await startStampedRsyslogs(4);
  const targets: Record<Family, Target[]> = { mqtt: [], native: [], syslog: [] };
  const gen = LoadGenerator.start();
  try {
    const lbBrokers = brokers.slice(0, 3);
    targets.mqtt.push(await startRuntime(lbBrokers, settings.workers), await startHaproxy(lbBrokers), directTarget(brokers[3]));
    if (floor) targets.mqtt.push(await startNodeFloor(lbBrokers, floorForward));
    targets.native.push(await startRuntime(lbBrokers, settings.workers, NATIVE_LUA));
    const lbSyslogs = rsyslogs.slice(0, 3);
    targets.syslog.push(await startSyslogRuntime(lbSyslogs, settings.workers), directRsyslog(rsyslogs[3]));
    if (floor) targets.syslog.push(await startNodeLines(lbSyslogs));
    const measured = targetsOf(run.reps);
    for (let rep = 0; rep < settings.repetitions; rep++) {
      // Rotate the order each repetition so no target always runs first (or right after the heaviest one).
      const order = measured.map((_, i) => measured[(i + rep) % measured.length]);
      const results = Object.fromEntries(measured.map((t) => [t, emptyMetrics()])) as Record<TargetName, RepMetrics>;
      for (const w of workloads(settings).filter((w) => only === undefined || (w.family === 'syslog') === (only === 'syslog'))) {
        for (const name of order) {
          const target = targets[w.family].find((t) => t.name === name);
          if (!target) continue;
          const started = Date.now();
          try {
            await w.run(gen, target, rep, results[name]);
          } catch (err) {
            run.errors.push(`rep ${rep + 1} ${w.name} on ${name}: ${err instanceof Error ? err.message : String(err)}`);
          }
          process.stderr.write(`rep ${rep + 1}/${settings.repetitions} ${w.name.padEnd(18)} ${name.padEnd(10)} ${Date.now() - started} ms\n`);
        }
      }
      for (const t of measured) run.reps[t]?.push(results[t]);
    }
  } finally {
    gen.stop();
    for (const t of Object.values(targets).flat()) await t.stop();
    await Promise.all([...brokers, ...rsyslogs].map((b) => b.stop()));
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
    writeFileSync(join(dir, `${name}.svg`), renderSvg(table, `protoext-lb vs HAProxy${floor ? ' vs plain Node proxy' : ''} vs direct (1.0 = HAProxy; syslog: 1.0 = direct rsyslog) ${run.startedAt}`));
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
