// Starts what the bench measures: quiet mosquitto brokers, our runtime (dist/cli.js run), HAProxy with the exported config, the plain Node proxy, direct access.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MosquittoBroker, findMosquitto, freePort } from '../../../runtime/cli/brokers/mosquittoProcess';
import { CLI, LineReader, spawnCli } from '../../integration/helpers/cliProcess';
import { MQTT_LUA } from '../../integration/helpers/lbHarness';
import { FLOOR, type TargetName } from './benchTypes';
import type { ForwardMode } from './nodeFloorProxy';
import { whenListening } from '../../integration/helpers/whenListening';

export interface Target {
  name: TargetName;
  port: number;
  /** The process whose tree's CPU and RSS count as the proxy's; null for direct access (no proxy). */
  pid: number | null;
  stop(): Promise<void>;
}

/** What is missing to run the bench, with the command that installs it. */
export function missingTools(): string[] {
  const missing: string[] = [];
  if (!findMosquitto()) missing.push('mosquitto (apt-get install mosquitto)');
  if (spawnSync('haproxy', ['-v'], { encoding: 'utf8' }).status !== 0) missing.push('haproxy (apt-get install haproxy)');
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

function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

function serviceFlags(brokers: readonly MosquittoBroker[]): string[] {
  return brokers.flatMap((b, i) => ['--service', `m${i + 1}=127.0.0.1:${b.port}`]);
}

/** Headroom over the idle workload, for both proxies alike. */
const MAX_CONNECTIONS = '20000';

export async function startRuntime(brokers: readonly MosquittoBroker[], workers: number): Promise<Target> {
  const port = await freePort();
  const args = ['run', '--extension', MQTT_LUA, '--listen', `127.0.0.1:${port}`, ...serviceFlags(brokers), '--events', 'none', '--max-connections', MAX_CONNECTIONS];
  if (workers > 1) args.push('--workers', String(workers));
  const cli = spawnCli(args);
  try {
    await cli.out.wait((l) => l.includes('ready:'), 20_000);
  } catch (err) {
    cli.child.kill('SIGKILL');
    throw new Error(`runtime did not start: ${err instanceof Error ? err.message : String(err)}\n${cli.err.lines.join('\n')}`);
  }
  return { name: 'runtime', port, pid: cli.child.pid ?? null, stop: () => stopChild(cli.child) };
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

/** The bare Node pipe proxy in its own process, like the runtime, over the same brokers. */
export async function startNodeFloor(brokers: readonly MosquittoBroker[], forward: ForwardMode): Promise<Target> {
  const port = await freePort();
  const args = [join(__dirname, 'nodeFloorProxy.js'), '--listen', `127.0.0.1:${port}`, ...brokers.flatMap((b) => ['--backend', `127.0.0.1:${b.port}`]), '--forward', forward];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const out = new LineReader(child.stdout!);
  const err = new LineReader(child.stderr!);
  try {
    await out.wait((l) => l.startsWith('ready:'), 10_000);
  } catch (e) {
    child.kill('SIGKILL');
    throw new Error(`the node floor proxy did not start: ${e instanceof Error ? e.message : String(e)}\n${err.lines.join('\n')}`);
  }
  return { name: FLOOR, port, pid: child.pid ?? null, stop: () => stopChild(child) };
}

export function directTarget(broker: MosquittoBroker): Target {
  return { name: 'direct', port: broker.port, pid: null, stop: async () => undefined };
}
