// Integration: the client's LbProcess forks the real dist/cli.js run over IPC: CONNECT -> CONNACK and decision, reload errors at their line, stop and a dead parent leave no process.
// peers: mosquitto
import test, { before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LbProcess } from '../../client/lb/lbProcess';
import { sendTestConnect } from '../../client/lb/testConnect';
import type { OutputRecord } from '../../runtime/cli/eventLog';
import { CLI, ensureCliBuilt } from './helpers/cliProcess';
import { alive, commandLineOf, commandOf, descendantsOf } from './helpers/processTree';
import { LB_NODE_FLAGS } from '../../runtime/cli/lbNodeFlags';

const root = join(__dirname, '..', '..', '..');

// Run alone, this file would otherwise fork whatever dist/cli.js an earlier build left.
before(() => ensureCliBuilt());

test('LbProcess: ready over IPC, CONNECT -> CONNACK with the decision event, rejected reload at its line, stop kills it', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'protoext-client-lb-'));
  copyFileSync(join(root, 'examples', 'mqtt.lua'), join(dir, 'mqtt.lua'));
  const records: OutputRecord[] = [];
  let exited: number | null | undefined;
  const proc = new LbProcess({ cliPath: CLI, args: ['--extension', 'mqtt.lua', '--listen', '127.0.0.1:0', '--brokers', '2'], cwd: dir }, {
    onRecord: (r) => records.push(r),
    onStats: () => undefined,
    onStderr: () => undefined,
    onExit: (code) => (exited = code),
  });
  try {
    const ready = await proc.whenReady(30_000);
    assert.match(ready.listen, /^127\.0\.0\.1:\d+$/);
    const argv = commandLineOf(proc.pid ?? 0);
    const script = argv.findIndex((a) => a.endsWith('cli.js'));
    assert.deepEqual(argv.slice(1, script), [...LB_NODE_FLAGS], `node's own flags come before the script: ${argv.join(' ')}`);
    assert.equal(records.filter((r) => r.event === 'brokers').length, 1, 'the brokers record (which kind runs, and why) came over IPC, once');
    assert.equal(records.findIndex((r) => r.event === 'brokers'), 0, 'the brokers record came first');
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
  const records: OutputRecord[] = [];
  const proc = new LbProcess({ cliPath: CLI, args: ['--extension', 'bad.lua', '--listen', '127.0.0.1:0'], cwd: dir }, {
    onRecord: (r) => records.push(r), onStats: () => undefined, onStderr: () => undefined, onExit: () => undefined,
  });
  await assert.rejects(proc.whenReady(20_000), /cannot load bad\.lua: bad\.lua:2: 'then' expected/);
  assert.equal(proc.running, false);
  // The parent reads no stdout: the start error reached it over IPC, once, with the structured ScriptError.
  const errors = records.filter((r) => r.event === 'error');
  assert.equal(errors.length, 1);
  const [error] = errors;
  assert.ok(error.event === 'error' && error.scriptError, 'the start error record carries scriptError');
  assert.equal(error.scriptError.line, 2);
  assert.equal(error.scriptError.file, 'bad.lua');
  assert.equal(error.scriptError.kind, 'syntax');
  assert.deepEqual(proc.lastScriptError, error.scriptError);
});

test('LbProcess: a stop sent while the script loads and the brokers start is obeyed (IPC is open from the first moment)', { timeout: 30_000 }, async () => {
  const records: OutputRecord[] = [];
  let exited: number | null | undefined;
  const proc = new LbProcess({ cliPath: CLI, args: ['--listen', '127.0.0.1:0', '--brokers', '1'], cwd: tmpdir() }, {
    onRecord: (r) => records.push(r), onStats: () => undefined, onStderr: () => undefined, onExit: (code) => (exited = code),
  });
  const ready = proc.whenReady(20_000).then(() => 'ready', () => 'not ready');
  const pid = proc.pid ?? 0;
  await proc.stop();
  assert.equal(await ready, 'not ready', 'the stop came before the LB listened');
  assert.equal(exited, 0, 'the early stop exits cleanly, without a SIGTERM');
  assert.equal(records.at(-1)?.event, 'stopped');
  assert.equal(alive(pid), false);
});

test('LbProcess: when its parent (the extension host) dies without a word, the runtime and its brokers stop too', { timeout: 60_000 }, async () => {
  // A stand-in extension host: a node process that forks the runtime through LbProcess and reports the pids.
  const host = `
    const { LbProcess } = require(${JSON.stringify(join(root, 'out', 'client', 'lb', 'lbProcess.js'))});
    const proc = new LbProcess({ cliPath: ${JSON.stringify(CLI)}, args: ['--listen', '127.0.0.1:0', '--brokers', '1', '--broker-kind', 'mosquitto'], cwd: ${JSON.stringify(tmpdir())} },
      { onRecord: () => {}, onStats: () => {}, onStderr: () => {}, onExit: () => {} });
    proc.whenReady(30000).then(() => console.log(JSON.stringify({ runtime: proc.pid })), (e) => { console.error(e.message); process.exit(3); });
  `;
  const parent = spawn(process.execPath, ['-e', host], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    let text = '';
    parent.stdout.on('data', (c: Buffer) => {
      text += c.toString();
      if (text.includes('\n')) resolve(text.trim());
    });
    parent.once('exit', (code) => reject(new Error(`the stand-in host exited with ${code}`)));
  });
  const runtime = (JSON.parse(line) as { runtime: number }).runtime;
  let spawned: number[];
  try {
    assert.ok(alive(runtime));
    // One mosquitto process below the runtime (under its watchdog): with none found, "nothing outlived it" below would prove nothing.
    spawned = descendantsOf(runtime);
    assert.equal(spawned.filter((p) => commandOf(p) === 'mosquitto').length, 1, `the runtime's processes: ${spawned.map((p) => `${p} ${commandOf(p)}`).join(', ')}`);
  } finally {
    // Killed on a failed check too, or its open stdout keeps this test file from ending (the runtime follows its parent).
    parent.kill('SIGKILL');
  }
  // The runtime notices the closed IPC channel and stops its brokers; bounded wait for the pids to go.
  const deadline = Date.now() + 15_000;
  while ((alive(runtime) || spawned.some(alive)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  assert.equal(alive(runtime), false, `runtime ${runtime} outlived its parent`);
  assert.deepEqual(spawned.filter(alive), [], 'broker processes (or their watchdogs) outlived the runtime');
});
