// `node out/test/bench/lb/idleRss.js [count] [run flags]`: holds `count` piped idle MQTT connections through the runtime and prints its RSS (the issue 8 idle-memory measure).
import { fork, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../../../runtime/cli/brokers/mosquittoProcess';
import { CLI, LineReader, ensureCliBuilt } from '../../integration/helpers/cliProcess';
import { MQTT_LUA, REPO } from '../../integration/helpers/lbHarness';
import { startQuietBrokers } from './benchTargets';
import type { LoadReply, LoadRequest } from './loadGenProcess';
import { treeRssBytes } from './procStat';

const SETTLE_MS = 3000;
const mb = (bytes: number) => (bytes / 1e6).toFixed(1);

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 9000);
  ensureCliBuilt();
  const brokers = await startQuietBrokers(3);
  const port = await freePort();
  const child = spawn(process.execPath, [CLI, 'run', '--extension', MQTT_LUA, '--listen', `127.0.0.1:${port}`, '--events', 'none', '--max-connections', '20000',
    ...brokers.flatMap((b, i) => ['--service', `m${i + 1}=127.0.0.1:${b.port}`]), ...process.argv.slice(3)], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
  await new LineReader(child.stdout!).wait((l) => l.includes('ready:'), 20_000);
  const gen = fork(join(__dirname, 'loadGenProcess.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ask = (req: LoadRequest) => new Promise<LoadReply>((resolve) => {
    gen.once('message', (m: LoadReply) => resolve(m));
    gen.send(req);
  });
  const rss0 = treeRssBytes(child.pid!);
  const reply = await ask({ op: 'open', port, count, inFlight: 64, idPrefix: 'idle-rss', timeoutMs: 180_000 });
  if (reply.op !== 'open') throw new Error(reply.op === 'error' ? reply.message : `unexpected reply ${reply.op}`);
  const rss1 = treeRssBytes(child.pid!);
  // A settled reading as well: the one right after the last CONNACK includes garbage a GC has not yet returned.
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const rss2 = treeRssBytes(child.pid!);
  process.stdout.write(`idle: ${reply.count} connections; RSS before ${mb(rss0)} MB, after open ${mb(rss1)} MB, after ${SETTLE_MS} ms ${mb(rss2)} MB; ${((rss1 - rss0) / reply.count / 1000).toFixed(2)} KB/conn\n`);
  await ask({ op: 'release' });
  gen.send({ op: 'exit' } satisfies LoadRequest);
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGINT');
  });
  await Promise.all(brokers.map((b) => b.stop()));
}

void main().then(() => process.exit(0), (err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
