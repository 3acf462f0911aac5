// Syslog integration fixtures: three real rsyslog servers for a test file's lifetime, and `logger --tcp` as the client.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, before } from 'node:test';
import { RsyslogServer } from '../../../runtime/cli/brokers/rsyslogProcess';
import { ensureCliBuilt } from './cliProcess';

/** Starts `count` rsyslog servers before the file's tests (and builds the CLI); stops them after. */
export function rsyslogServersForFile(count = 3): { servers: RsyslogServer[] } {
  const holder = { servers: [] as RsyslogServer[] };
  before(async () => {
    ensureCliBuilt();
    holder.servers = await Promise.all(Array.from({ length: count }, () => RsyslogServer.start()));
  });
  after(async () => {
    await Promise.all(holder.servers.map((s) => s.stop()));
  });
  return holder;
}

/** One `logger --tcp` connection to 127.0.0.1:port sending `text` (one message per line); fails the test if logger does. */
export async function loggerTcp(port: number, tag: string, text: string, extra: string[] = []): Promise<void> {
  const child = spawn('logger', ['--tcp', '-n', '127.0.0.1', '-P', String(port), '-t', tag, ...extra], { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin.end(text);
  const [code] = (await once(child, 'exit')) as [number | null];
  assert.equal(code, 0, `logger ${tag}: ${stderr}`);
}
