// `run --workers 2`: connections spread over two processes, and one ClientID still always reaches one broker.
// peers: mosquitto
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { freePort } from '../../runtime/cli/brokers/mosquittoProcess';
import type { OutputRecord } from '../../runtime/cli/eventLog';
import { CLI, LineReader, ensureCliBuilt } from './helpers/cliProcess';
import { MQTT_LUA, REPO, endClient, mqttConnect, startBrokers } from './helpers/lbHarness';

test('with --workers 2 every connection of one ClientID lands on the same broker, whichever worker accepts it', { timeout: 60_000 }, async () => {
  ensureCliBuilt();
  const brokers = await startBrokers(3);
  const port = await freePort();
  // rr: the primary deals connections to the workers in turn, so both workers provably serve this ClientID.
  const child = spawn(process.execPath, [CLI, 'run', '--extension', MQTT_LUA, '--listen', `127.0.0.1:${port}`, '--events', 'jsonl', '--workers', '2',
    ...brokers.flatMap((b, i) => ['--service', `m${i + 1}=127.0.0.1:${b.port}`])], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_CLUSTER_SCHED_POLICY: 'rr' } });
  const out = new LineReader(child.stdout!);
  const exited = once(child, 'exit');
  try {
    await out.record('ready', () => true, 20_000);
    const listening = out.lines.filter((l) => l.includes('"event":"listening"'));
    assert.equal(listening.length, 2, 'two workers listen');
    const id = 'worker-sticky';
    const rounds = 8;
    for (let i = 0; i < rounds; i++) await endClient(await mqttConnect(port, id, i % 2 === 0 ? 4 : 5));
    const records = out.lines.map((l) => JSON.parse(l) as OutputRecord);
    const decisions = records.filter((r): r is Extract<OutputRecord, { event: 'decision' }> => r.event === 'decision' && r.token === id);
    assert.equal(decisions.length, rounds);
    assert.equal(new Set(decisions.map((d) => d.service)).size, 1, `one service for ${id}: ${decisions.map((d) => d.service).join(',')}`);
    // Connection numbers are per worker: each number seen twice means two workers served.
    const connIds = records.filter((r) => r.event === 'connection').map((r) => (r as Extract<OutputRecord, { event: 'connection' }>).conn);
    assert.ok(connIds.length >= rounds && new Set(connIds).size < connIds.length, `both workers accepted connections (conn ids ${connIds.join(',')})`);
    const holders = brokers.filter((b) => b.clients.some((c) => c.clientId === id));
    assert.equal(holders.length, 1, 'exactly one broker saw the ClientID');
    assert.equal(holders[0].clients.filter((c) => c.clientId === id).length, rounds, 'every time');
    const persisted = decisions.filter((d) => d.persistence === 'hit').length;
    assert.ok(persisted >= rounds - 2, `later connections are persistence hits in both workers (replicated binding): ${decisions.map((d) => d.persistence).join(',')}`);
  } finally {
    child.kill('SIGTERM');
    await exited;
    await Promise.all(brokers.map((b) => b.stop()));
  }
  assert.equal(child.exitCode, 0, 'primary stops its workers and exits cleanly');
});
