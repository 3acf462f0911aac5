// `node out/test/bench/lb/profileRuntime.js [storm|native|serial|throughput16k|throughput1k|idle|syslog] [--workers N]`: runs one workload against the runtime under --cpu-prof and prints its hottest functions.
// Environment: PROFILE_ROUNDS (3), PROFILE_TOP (30), PROFILE_NODE_FLAGS (e.g. --trace-gc), PROFILE_CLI (another build's dist/cli.js), PROFILE_OFF=1,
// PROFILE_HEAP=1 (what each unit allocates after the first round, garbage included: heapSampler.ts; PROFILE_HEAP_INTERVAL, bytes between samples, 256).
import { fork, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../../runtime/cli/brokers/mosquittoProcess';
import { LB_NODE_FLAGS } from '../../../runtime/cli/lbNodeFlags';
import { CLI, LineReader, ensureCliBuilt } from '../../integration/helpers/cliProcess';
import { MQTT_LUA, REPO } from '../../integration/helpers/lbHarness';
import { NATIVE_LUA, SYSLOG_LUA, startQuietBrokers, startStampedRsyslogs } from './benchTargets';
import { hotFunctions, type CpuProfile } from './cpuProfileSummary';
import { allocationSites, type HeapProfile } from './heapProfileSummary';
import type { LoadReply, LoadRequest } from './loadGenProcess';
import { treeCpuSeconds, treeRssBytes } from './procStat';

async function main(): Promise<void> {
  const workload = process.argv[2] ?? 'storm';
  const rounds = Number(process.env.PROFILE_ROUNDS ?? 3);
  ensureCliBuilt();
  // syslog: examples/syslog.lua over rsyslog, one decision per message; native: the storm without client.on_data.
  const syslog = workload === 'syslog';
  const rsyslogs = syslog ? await startStampedRsyslogs(3) : [];
  const brokers = syslog ? rsyslogs : await startQuietBrokers(3);
  const scriptFlags = syslog ? ['--protocol', 'syslog', '--lb-method', 'ROUNDROBIN', '--persistence', 'NONE', '--extension', SYSLOG_LUA] : ['--extension', workload === 'native' ? NATIVE_LUA : MQTT_LUA];
  const dir = mkdtempSync(join(tmpdir(), 'protoext-prof-'));
  const port = await freePort();
  // PROFILE_CLI: another build's cli.js (a copy of dist/ from before a change), for a before/after in the same conditions.
  const cli = process.env.PROFILE_CLI ?? CLI;
  // PROFILE_OFF=1: CPU per unit only, without the profiler's own cost (for before/after numbers).
  const profiler = process.env.PROFILE_OFF ? [] : ['--cpu-prof', `--cpu-prof-dir=${dir}`];
  // PROFILE_HEAP=1: V8's sampling heap profiler in the runtime, started after the first (warm-up) round.
  const heapFile = process.env.PROFILE_HEAP ? join(dir, 'heap.json') : null;
  if (heapFile) profiler.push('--require', join(__dirname, 'heapSampler.js'));
  const child = spawn(process.execPath, [...LB_NODE_FLAGS, ...profiler, ...(process.env.PROFILE_NODE_FLAGS?.split(' ').filter(Boolean) ?? []), cli, 'run', ...scriptFlags, '--listen', `127.0.0.1:${port}`, '--events', 'none', '--max-connections', '20000',
    ...brokers.flatMap((b, i) => ['--service', `m${i + 1}=127.0.0.1:${b.port}`]), ...process.argv.slice(3)], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'], env: heapFile ? { ...process.env, PROFILE_HEAP_FILE: heapFile } : process.env });
  const output = new LineReader(child.stdout!);
  await output.wait((l) => l.includes('ready:'), 20_000);
  const gcLinesBefore = output.lines.length;
  const gen = fork(join(__dirname, 'loadGenProcess.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ask = (req: LoadRequest) => new Promise<LoadReply>((resolve) => {
    gen.once('message', (m: LoadReply) => resolve(m));
    gen.send(req);
  });
  const cpu0 = treeCpuSeconds(child.pid!);
  let units = 0;
  let unitsBeforeHeap = 0;
  for (let r = 0; r < rounds; r++) {
    if (heapFile && r === 1) {
      unitsBeforeHeap = units;
      child.kill('SIGUSR2');
    }
    let reply: LoadReply;
    if (syslog) {
      const sinks = rsyslogs.map((b) => b.outFile);
      reply = await ask({ op: 'syslog', port, sinks, run: `prof-${r}`, connections: 4, perConnection: 25_000, messageBytes: 128, paceMs: null, timeoutMs: 120_000 });
      if (reply.op === 'syslog') units += reply.messages;
    } else if (workload === 'storm' || workload === 'native' || workload === 'idle') {
      const count = workload === 'idle' ? 9000 : 2000;
      reply = await ask({ op: 'open', port, count, inFlight: 64, idPrefix: `prof-${r}`, timeoutMs: 120_000 });
      if (reply.op === 'open') units += reply.count;
      if (workload === 'idle') process.stdout.write(`idle round ${r + 1}: ${count} connections held, runtime RSS ${(treeRssBytes(child.pid!) / 1e6).toFixed(1)} MB\n`);
      await ask({ op: 'release' });
    } else if (workload === 'serial') {
      reply = await ask({ op: 'serial', port, count: 500, idPrefix: `prof-${r}`, timeoutMs: 120_000 });
      if (reply.op === 'serial') {
        units += reply.samplesMs.length;
        const sorted = [...reply.samplesMs].sort((a, b) => a - b);
        process.stdout.write(`serial round ${r + 1}: p50 ${sorted[sorted.length >> 1].toFixed(3)} ms, p99 ${sorted[Math.floor(sorted.length * 0.99)].toFixed(3)} ms, slowest ${sorted.slice(-6).map((v) => v.toFixed(2)).join(' ')}\n`);
      }
    } else {
      const messageBytes = workload === 'throughput1k' ? 1024 : 16 * 1024;
      reply = await ask({ op: 'throughput', port, clientId: `prof-${r}`, messageBytes, totalBytes: 256 << 20, timeoutMs: 180_000 });
      if (reply.op === 'throughput') units += reply.bytes;
    }
    if (reply.op === 'error') throw new Error(reply.message);
  }
  const cpu = treeCpuSeconds(child.pid!) - cpu0;
  gen.send({ op: 'exit' } satisfies LoadRequest);
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGINT');
  });
  await Promise.all(brokers.map((b) => b.stop()));
  const per = workload.startsWith('throughput') ? `${(cpu / (units / 1e9)).toFixed(2)} CPU s/GB` : `${((cpu * 1e6) / units).toFixed(1)} CPU us per ${syslog ? 'message' : 'connection'}`;
  process.stdout.write(`${workload}: ${units} units, runtime CPU ${cpu.toFixed(2)} s, ${per}\n`);
  // With PROFILE_NODE_FLAGS=--trace-gc: how often the young generation was collected, and its pauses.
  const scavenges = output.lines.slice(gcLinesBefore).map((l) => /Scavenge[^,]*, ([\d.]+) \/ [\d.]+ ms/.exec(l)).filter((m) => m !== null).map((m) => Number(m[1]));
  const majors = output.lines.slice(gcLinesBefore).filter((l) => /Mark-Compact|Mark-sweep|Mark-Sweep/.test(l));
  if (majors.length > 0) process.stdout.write(`major GCs: ${majors.length}\n${majors.map((l) => `  ${l.replace(/^\[[^\]]*\]\s*/, '')}`).join('\n')}\n`);
  if (scavenges.length > 0) {
    scavenges.sort((a, b) => a - b);
    process.stdout.write(`scavenges: ${scavenges.length} (one per ${(units / scavenges.length).toFixed(0)} units), pause median ${scavenges[scavenges.length >> 1].toFixed(2)} ms, max ${scavenges[scavenges.length - 1].toFixed(2)} ms\n`);
  }
  if (heapFile) printAllocations(heapFile, units - unitsBeforeHeap, syslog ? 'message' : workload.startsWith('throughput') ? 'MB' : 'connection');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
    process.stdout.write(`\n${join(dir, file)}\n`);
    for (const h of hotFunctions(profile, Number(process.env.PROFILE_TOP ?? 30))) process.stdout.write(`${h.selfPercent.toFixed(1).padStart(5)}%  ${h.name}\n`);
  }
}

/** Bytes allocated per unit after the warm-up round, and the functions that allocated them. */
function printAllocations(file: string, units: number, unit: string): void {
  if (!existsSync(file)) {
    process.stdout.write('heap: no profile written (PROFILE_HEAP needs PROFILE_ROUNDS >= 2)\n');
    return;
  }
  const perUnit = unit === 'MB' ? units / 1e6 : units;
  const { total, sites } = allocationSites(JSON.parse(readFileSync(file, 'utf8')) as HeapProfile, Number(process.env.PROFILE_TOP ?? 30));
  process.stdout.write(`\nheap (sampled, garbage included, after round 1): ${(total / perUnit).toFixed(0)} bytes per ${unit}\n`);
  for (const s of sites) process.stdout.write(`${(s.bytes / perUnit).toFixed(0).padStart(7)} B  ${s.name}\n`);
}

void main().then(() => process.exit(0), (err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
