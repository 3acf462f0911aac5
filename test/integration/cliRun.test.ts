// `node dist/cli.js run` end to end: the embedded default (mosquitto, then aedes) serving a real client, IPC commands, config errors, clean stop.
// peers: mosquitto mosquitto_pub mosquitto_sub
import test, { before } from 'node:test';
import assert from 'node:assert/strict';
import * as net from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IpcMessage } from '../../runtime/cli/ipcProtocol';
import { ensureCliBuilt, forkCli, spawnCli } from './helpers/cliProcess';
import { endClient, mqttConnect, nextMessage, startBrokers } from './helpers/lbHarness';

before(() => ensureCliBuilt());

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => (s.destroy(), resolve(false)));
    s.once('error', () => resolve(true));
  });
}

async function roundTrip(port: number, clientId: string, version: 4 | 5): Promise<void> {
  const c = await mqttConnect(port, clientId, version);
  await c.subscribeAsync('cli/test');
  const got = nextMessage(c, 'cli/test');
  await c.publishAsync('cli/test', 'through the CLI');
  assert.equal(await got, 'through the CLI');
  await endClient(c);
}

test('run with no services starts three mosquitto brokers, serves a 5.0 client, and stops them on SIGTERM', { timeout: 30_000 }, async () => {
  const cli = spawnCli(['run', '--listen', '127.0.0.1:0', '--events', 'jsonl']);
  try {
    const brokers = await cli.out.record('brokers');
    assert.equal(brokers.kind, 'mosquitto');
    assert.match(brokers.reason, /mosquitto found/);
    assert.equal(brokers.services.length, 3);
    const ready = await cli.out.record('ready');
    const port = Number(ready.listen.split(':')[1]);
    assert.match(ready.connect[0], new RegExp(`mosquitto_sub -h 127.0.0.1 -p ${port} .*-V mqttv5`));
    await roundTrip(port, 'cli-v5-client', 5);
    const decision = await cli.out.record('decision', (d) => d.token === 'cli-v5-client');
    assert.equal(decision.persistence, 'new');
    await cli.out.record('pipe', (p) => p.conn === decision.conn);
    cli.child.kill('SIGTERM');
    assert.equal(await cli.exit, 0);
    await cli.out.record('stopped', (r) => r.reason === 'SIGTERM');
    for (const s of brokers.services) assert.equal(await refused(Number(s.address.split(':')[1])), true, `${s.id} stopped`);
  } finally {
    cli.child.kill('SIGKILL');
  }
});

test('run --broker-kind aedes serves a 3.1.1 client through in-process brokers (human log)', { timeout: 30_000 }, async () => {
  const cli = spawnCli(['run', '--listen', '127.0.0.1:0', '--broker-kind', 'aedes']);
  try {
    await cli.out.wait((l) => /embedded brokers: 3 x aedes .*MQTT 3\.1\/3\.1\.1 only/.test(l));
    const ready = await cli.out.wait((l) => l.includes('ready: clients connect to'));
    const port = Number(/127\.0\.0\.1:(\d+)/.exec(ready)![1]);
    await roundTrip(port, 'cli-aedes-client', 4);
    await cli.out.wait((l) => /#\d+ decision -> broker\d .*token "cli-aedes-client" .*persistence new/.test(l));
    cli.child.kill('SIGINT');
    assert.equal(await cli.exit, 0);
  } finally {
    cli.child.kill('SIGKILL');
  }
});

test('forked with IPC: events, stats, a rejected and an accepted reload, stop', { timeout: 30_000 }, async () => {
  const [broker] = await startBrokers(1);
  const cli = forkCli(['run', '--listen', '127.0.0.1:0', '--service', `m1=127.0.0.1:${broker.port}`, '--persistence-timeout', '0.5']);
  try {
    const ready = await cli.next((m) => m.type === 'event' && m.record.event === 'ready');
    assert.ok(ready.type === 'event' && ready.record.event === 'ready');
    const port = Number(ready.record.listen.split(':')[1]);
    await roundTrip(port, 'ipc-client', 4);
    await cli.next((m) => m.type === 'event' && m.record.event === 'decision' && m.record.token === 'ipc-client');

    cli.child.send({ type: 'command', id: 1, command: 'stats' });
    const stats = await cli.next((m) => m.type === 'response' && m.id === 1);
    assert.ok(stats.type === 'response' && stats.ok && stats.stats);
    assert.deepEqual(stats.stats.services.map((s) => [s.id, s.up, s.totalConnections]), [['m1', true, 1]]);
    assert.equal(stats.stats.persistence.timeoutMinutes, 0.5);
    assert.deepEqual(stats.stats.persistence.entries.map((e) => [e.session, e.service]), [['ipc-client', 'm1']]);

    cli.child.send({ type: 'command', id: 2, command: 'reload', file: 'broken.lua', source: 'function client.on_data(ctxt, payload)\n  local x = = 1\nend\n' });
    const rejected = await cli.next((m) => m.type === 'response' && m.id === 2);
    assert.ok(rejected.type === 'response' && !rejected.ok);
    assert.match(rejected.error, /broken\.lua:2:/);
    await cli.next((m) => m.type === 'event' && m.record.event === 'script-rejected');

    cli.child.send({ type: 'command', id: 3, command: 'reload' });
    const accepted = await cli.next((m) => m.type === 'response' && m.id === 3);
    assert.equal(accepted.type === 'response' && accepted.ok, true);
    await cli.next((m) => m.type === 'event' && m.record.event === 'script-reloaded');
    await roundTrip(port, 'ipc-after-reload', 4);
    await cli.next((m: IpcMessage) => m.type === 'stats');

    cli.child.send({ type: 'command', id: 4, command: 'stop' });
    assert.equal(await cli.exit, 0);
  } finally {
    cli.child.kill('SIGKILL');
    await broker.stop();
  }
});

test('a bad protoext.json is refused with the key path and what was expected', { timeout: 15_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'protoext-config-'));
  const file = join(dir, 'protoext.json');
  writeFileSync(file, JSON.stringify({ services: ['127.0.0.1:1884', { name: 'b', address: 'nowhere' }] }));
  const cli = spawnCli(['run', '--config', file]);
  assert.equal(await cli.exit, 2);
  await cli.err.wait((l) => l.includes('$.services[1].address: expected "HOST:PORT"') && l.includes('"nowhere"'));
  writeFileSync(file, JSON.stringify({ limits: { maxHeldBytez: 5 } }));
  const cli2 = spawnCli(['run', '--config', file]);
  assert.equal(await cli2.exit, 2);
  await cli2.err.wait((l) => l.includes('$.limits.maxHeldBytez: unknown key; expected one of firstFlightTimeoutMs'));
});
