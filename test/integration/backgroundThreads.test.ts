// `run` lowers V8's worker threads to nice 19 and keeps the event loop at normal priority (runtime/platform/backgroundThreads.ts).
import test, { before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { lowerBackgroundThreadPriority } from '../../runtime/platform/backgroundThreads';
import { ensureCliBuilt, spawnCli } from './helpers/cliProcess';

before(() => ensureCliBuilt());

/** Each thread's nice value, from /proc/PID/task/TID/stat (the 19th field). */
function niceByThread(pid: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    out.set(Number(tid), Number(fields[16]));
  }
  return out;
}

test('a running LB: the main thread at nice 0, V8\'s worker threads at nice 19 (Linux; elsewhere nothing is lowered)', { timeout: 30_000 }, async () => {
  if (process.platform !== 'linux') {
    assert.equal(lowerBackgroundThreadPriority(), 0);
    return;
  }
  const cli = spawnCli(['run', '--listen', '127.0.0.1:0', '--service', 'm1=127.0.0.1:9', '--events', 'jsonl']);
  try {
    await cli.out.record('ready');
    const pid = cli.child.pid!;
    const nice = niceByThread(pid);
    assert.equal(nice.get(pid), 0, 'the event loop keeps normal priority');
    const lowered = [...nice].filter(([tid, n]) => tid !== pid && n === 19);
    // Node starts four V8 platform workers by default.
    assert.ok(lowered.length >= 4, `V8 worker threads at nice 19: ${JSON.stringify([...nice])}`);
  } finally {
    cli.child.kill('SIGTERM');
    await cli.exit;
  }
});

test('off Linux it changes nothing and says so', () => {
  // The platform is injected: this runs on the Linux CI as well.
  assert.equal(lowerBackgroundThreadPriority('darwin'), 0);
  assert.equal(lowerBackgroundThreadPriority('win32'), 0);
});
