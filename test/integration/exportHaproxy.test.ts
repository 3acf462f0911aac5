// `export --haproxy` run by a real HAProxy in front of three real mosquitto brokers: the same ClientID lands on the same broker.
// peers: mosquitto haproxy
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../runtime/cli/brokers/mosquittoProcess';
import { CLI, ensureCliBuilt } from './helpers/cliProcess';
import { endClient, mqttConnect, startBrokers } from './helpers/lbHarness';
import { whenListening } from './helpers/whenListening';

test('the exported HAProxy config balances on the ClientID with consistent hashing', { timeout: 30_000 }, async () => {
  ensureCliBuilt();
  const brokers = await startBrokers(3);
  const listen = await freePort();
  const exported = spawnSync(process.execPath, [CLI, 'export', '--haproxy', '--listen', `127.0.0.1:${listen}`, ...brokers.flatMap((b, i) => ['--service', `m${i + 1}=127.0.0.1:${b.port}`])], { encoding: 'utf8' });
  assert.equal(exported.status, 0, exported.stderr);
  assert.match(exported.stdout, /balance hash var\(sess\.cid\)/);
  assert.match(exported.stdout, /mqtt_field_value\(connect,client_identifier\)/);
  const dir = mkdtempSync(join(tmpdir(), 'protoext-haproxy-'));
  const cfg = join(dir, 'haproxy.cfg');
  writeFileSync(cfg, exported.stdout);
  const check = spawnSync('haproxy', ['-c', '-f', cfg], { encoding: 'utf8' });
  assert.equal(check.status, 0, check.stdout + check.stderr);
  const haproxy = spawn('haproxy', ['-db', '-f', cfg], { stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise<void>((resolve) => haproxy.once('exit', () => resolve()));
  try {
    await whenListening(listen, 5000, 'haproxy');
    const owner = async (clientId: string, version: 4 | 5) => {
      const c = await mqttConnect(listen, clientId, version);
      await endClient(c);
      const holders = brokers.filter((b) => b.clients.some((x) => x.clientId === clientId));
      return holders;
    };
    for (const version of [4, 5] as const) {
      const id = `haproxy-same-v${version}`;
      for (let i = 0; i < 3; i++) {
        const holders = await owner(id, version);
        assert.equal(holders.length, 1, `${id} reached exactly one broker`);
        assert.equal(holders[0].clients.filter((x) => x.clientId === id).length, i + 1, 'and the same one each time');
      }
    }
    const spread = new Set<number>();
    for (let i = 0; i < 9; i++) {
      const id = `haproxy-spread-${i}`;
      const holders = await owner(id, 4);
      assert.equal(holders.length, 1, `${id} reached exactly one broker`);
      spread.add(brokers.indexOf(holders[0]));
    }
    assert.ok(spread.size >= 2, `different ClientIDs use more than one broker (used ${spread.size})`);
    // Measured on HAProxy 2.6.12: 3.1 (MQIsdp) CONNECTs pass mqtt_is_valid here and are hashed like the others.
    for (let i = 0; i < 4; i++) await endClient(await mqttConnect(listen, 'haproxy-v31', 3));
    assert.deepEqual(brokers.map((b) => b.clients.filter((x) => x.clientId === 'haproxy-v31').length).sort(), [0, 0, 4]);
  } finally {
    haproxy.kill('SIGTERM');
    await exited;
    await Promise.all(brokers.map((b) => b.stop()));
  }
});
