// Integration: the client's LbProcess forks the real dist/cli.js run over IPC; a test CONNECT gets a CONNACK and a decision; reload errors carry the line; stop leaves no process.
import test from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LbProcess } from '../../client/lb/lbProcess';
import { sendTestConnect } from '../../client/lb/testConnect';
import type { OutputRecord } from '../../runtime/cli/eventLog';

const root = join(__dirname, '..', '..', '..');
const cli = join(root, 'dist', 'cli.js');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('LbProcess: ready over IPC, CONNECT -> CONNACK with the decision event, rejected reload at its line, stop kills it', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'protoext-client-lb-'));
  copyFileSync(join(root, 'examples', 'mqtt.lua'), join(dir, 'mqtt.lua'));
  const records: OutputRecord[] = [];
  let exited: number | null | undefined;
  const proc = new LbProcess({ cliPath: cli, args: ['--extension', 'mqtt.lua', '--listen', '127.0.0.1:0', '--brokers', '2'], cwd: dir }, {
    onRecord: (r) => records.push(r),
    onStats: () => undefined,
    onStderr: () => undefined,
    onExit: (code) => (exited = code),
  });
  try {
    const ready = await proc.whenReady(30_000);
    assert.match(ready.listen, /^127\.0\.0\.1:\d+$/);
    assert.ok(records.some((r) => r.event === 'brokers'), 'the brokers record (which kind runs, and why) came first');
    const port = Number(ready.listen.split(':')[1]);

    const result = await sendTestConnect('127.0.0.1', port, '3.1.1', 'it-client-1');
    assert.equal(result.returnCode, 0, `no CONNACK: ${result.failure}`);
    const conn = records.find((r) => r.event === 'connection' && r.clientPort === result.localPort);
    assert.ok(conn && conn.event === 'connection', 'the connection event carries the test client port');
    const decision = records.find((r) => r.event === 'decision' && r.conn === conn.conn);
    assert.ok(decision && decision.event === 'decision');
    assert.equal(decision.token, 'it-client-1');
    assert.match(decision.service ?? '', /^broker[12]$/);

    const stats = await proc.request({ command: 'stats' });
    assert.ok(stats.ok && stats.stats && stats.stats.connections.total >= 1);

    writeFileSync(join(dir, 'mqtt.lua'), 'function client.on_data(ctxt, payload)\n  local x = \nend\n');
    const reload = await proc.reload();
    assert.equal(reload.ok, false);
    assert.ok(!reload.ok && reload.scriptError, 'a rejected reload carries the ScriptError');
    if (!reload.ok && reload.scriptError) {
      assert.equal(reload.scriptError.line, 3);
      assert.equal(reload.scriptError.file, 'mqtt.lua');
    }
  } finally {
    const pid = proc.pid ?? 0;
    await proc.stop();
    assert.equal(alive(pid), false, `runtime pid ${pid} still alive after stop`);
    assert.equal(exited, 0, 'a requested stop exits cleanly');
  }
});

test('LbProcess: a script that does not load rejects whenReady with file:line', { timeout: 30_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'protoext-client-lb-'));
  writeFileSync(join(dir, 'bad.lua'), 'function client.on_data(ctxt, payload)\n  if x ctxt:close() end\nend\n');
  const proc = new LbProcess({ cliPath: cli, args: ['--extension', 'bad.lua', '--listen', '127.0.0.1:0'], cwd: dir }, {
    onRecord: () => undefined, onStats: () => undefined, onStderr: () => undefined, onExit: () => undefined,
  });
  await assert.rejects(proc.whenReady(20_000), /cannot load bad\.lua: bad\.lua:2: 'then' expected/);
  assert.equal(proc.running, false);
});
