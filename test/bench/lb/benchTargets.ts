// Starts what the bench measures: quiet mosquitto brokers and stamped rsyslog servers, our runtime (dist/cli.js run), HAProxy with the exported config, the plain Node proxies, direct access.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MosquittoBroker, findMosquitto, freePort } from '../../../runtime/cli/brokers/mosquittoProcess';
import { RsyslogServer, findRsyslogd } from '../../../runtime/cli/brokers/rsyslogProcess';
import { CLI, LineReader, spawnCli } from '../../integration/helpers/cliProcess';
import { LB_NODE_FLAGS } from '../../../runtime/cli/lbNodeFlags';
import { MQTT_LUA, REPO } from '../../integration/helpers/lbHarness';
import { FLOOR, type TargetName } from './benchTypes';
import type { ForwardMode } from './nodeFloorProxy';
import { whenListening } from '../../integration/helpers/whenListening';

export interface Target {
  name: TargetName;
  port: number;
  /** The process whose tree's CPU and RSS count as the proxy's; null for direct access (no proxy). */
  pid: number | null;
  /** Syslog targets: the rsyslog output files the target's messages land in. */
  sinks?: string[];
  stop(): Promise<void>;
}

/** The runtime without client.on_data (the native path), for the script phase's share of a connect. */
export const NATIVE_LUA = join(REPO, 'test', 'bench', 'lb', 'nativePath.lua');
export const SYSLOG_LUA = join(REPO, 'examples', 'syslog.lua');

/** What is missing to run the bench, with the command that installs it. */
export function missingTools(): string[] {
  const missing: string[] = [];
  if (!findMosquitto()) missing.push('mosquitto (apt-get install mosquitto)');
  if (spawnSync('haproxy', ['-v'], { encoding: 'utf8' }).status !== 0) missing.push('haproxy (apt-get install haproxy)');
  if (!findRsyslogd()) missing.push('rsyslogd (apt-get install rsyslog)');
  return missing;
}

export function toolVersion(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return ((r.stdout || r.stderr || '').split('\n')[0] ?? '').trim();
}

export async function startQuietBrokers(n: number): Promise<MosquittoBroker[]> {
  const brokers: MosquittoBroker[] = [];
  for (let i = 0; i < n; i++) brokers.push(await MosquittoBroker.start({ quiet: true }));
  return brokers;
}

/** rsyslog servers that write each message with their receipt time (microseconds) before it. */
export async function startStampedRsyslogs(n: number): Promise<RsyslogServer[]> {
  const servers: RsyslogServer[] = [];
  for (let i = 0; i < n; i++) servers.push(await RsyslogServer.start({ stamped: true }));
  return servers;
}

function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

function serviceFlags(brokers: readonly { port: number }[]): string[] {
  return brokers.flatMap((b, i) => ['--service', `m${i + 1}=127.0.0.1:${b.port}`]);
}

/** Headroom over the idle workload, for both proxies alike. */
const MAX_CONNECTIONS = '20000';

/** `protocolFlags`: e.g. the syslog protocol with ROUNDROBIN per message; none for MQTT (the default). */
export async function startRuntime(services: readonly { port: number }[], workers: number, extension = MQTT_LUA, protocolFlags: string[] = []): Promise<Target> {
  const port = await freePort();
  const args = ['run', ...protocolFlags, '--extension', extension, '--listen', `127.0.0.1:${port}`, ...serviceFlags(services), '--events', 'none', '--max-connections', MAX_CONNECTIONS];
  if (workers > 1) args.push('--workers', String(workers));
  const cli = spawnCli(args, LB_NODE_FLAGS);
  try {
    await cli.out.wait((l) => l.includes('ready:'), 20_000);
  } catch (err) {
    cli.child.kill('SIGKILL');
    throw new Error(`runtime did not start: ${err instanceof Error ? err.message : String(err)}\n${cli.err.lines.join('\n')}`);
  }
  return { name: 'runtime', port, pid: cli.child.pid ?? null, stop: () => stopChild(cli.child) };
}

/** The runtime over rsyslog services with examples/syslog.lua: one ROUNDROBIN decision per message, no persistence. */
export async function startSyslogRuntime(servers: readonly RsyslogServer[], workers: number): Promise<Target> {
  const t = await startRuntime(servers, workers, SYSLOG_LUA, ['--protocol', 'syslog', '--lb-method', 'ROUNDROBIN', '--persistence', 'NONE']);
  return { ...t, sinks: servers.map((s) => s.outFile) };
}

export async function startHaproxy(brokers: readonly MosquittoBroker[]): Promise<Target> {
  const port = await freePort();
  const exported = spawnSync(process.execPath, [CLI, 'export', '--haproxy', '--listen', `127.0.0.1:${port}`, ...serviceFlags(brokers), '--max-connections', MAX_CONNECTIONS], { encoding: 'utf8' });
  if (exported.status !== 0) throw new Error(`protoext-lb export --haproxy failed: ${exported.stderr}`);
  const cfg = join(mkdtempSync(join(tmpdir(), 'protoext-bench-haproxy-')), 'haproxy.cfg');
  writeFileSync(cfg, exported.stdout);
  const check = spawnSync('haproxy', ['-c', '-q', '-f', cfg], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`haproxy -c rejected the exported config: ${check.stdout}${check.stderr}`);
  const child = spawn('haproxy', ['-db', '-f', cfg], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  try {
    await whenListening(port, 10_000);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`haproxy did not start: ${err instanceof Error ? err.message : String(err)}\n${stderr}`);
  }
  return { name: 'haproxy', port, pid: child.pid ?? null, stop: () => stopChild(child) };
}

/** A plain Node proxy of this folder (`script`) in its own process, like the runtime, in front of `backends`. */
async function startNodeProxy(script: string, backends: readonly { port: number }[], extraArgs: string[]): Promise<Target> {
  const port = await freePort();
  const args = [join(__dirname, script), '--listen', `127.0.0.1:${port}`, ...backends.flatMap((b) => ['--backend', `127.0.0.1:${b.port}`]), ...extraArgs];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const out = new LineReader(child.stdout!);
  const err = new LineReader(child.stderr!);
  try {
    await out.wait((l) => l.startsWith('ready:'), 10_000);
  } catch (e) {
    child.kill('SIGKILL');
    throw new Error(`${script} did not start: ${e instanceof Error ? e.message : String(e)}\n${err.lines.join('\n')}`);
  }
  return { name: FLOOR, port, pid: child.pid ?? null, stop: () => stopChild(child) };
}

/** The bare Node pipe proxy over the same brokers. */
export function startNodeFloor(brokers: readonly MosquittoBroker[], forward: ForwardMode): Promise<Target> {
  return startNodeProxy('nodeFloorProxy.js', brokers, ['--forward', forward]);
}

/** The plain Node line-splitting proxy (round-robin per line) over the same rsyslog servers. */
export async function startNodeLines(servers: readonly RsyslogServer[]): Promise<Target> {
  return { ...(await startNodeProxy('nodeLineProxy.js', servers, [])), sinks: servers.map((s) => s.outFile) };
}

export function directTarget(broker: MosquittoBroker): Target {
  return { name: 'direct', port: broker.port, pid: null, stop: async () => undefined };
}

export function directRsyslog(server: RsyslogServer): Target {
  return { name: 'direct', port: server.port, pid: null, sinks: [server.outFile], stop: async () => undefined };
}
