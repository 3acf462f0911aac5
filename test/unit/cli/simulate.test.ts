// simulate() on the bundled samples: tokens, decision through runtime/lb, the reference verdict and the agreement; flag parsing for services and chunks.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseChunks, simulate, type LbSettings } from '../../../runtime/cli/simulateCommand';
import { PLACEHOLDER_SERVICES, parseLbMethod, parsePersistence, parseServiceFlags } from '../../../runtime/cli/simulateServices';
import { CliUsageError } from '../../../runtime/cli/scriptFile';
import { splitChunks } from '../../../runtime/packets/packetSource';
import { CAPTURED, encodeConnect } from '../../../runtime/mqtt';
import { pickByToken } from '../../../runtime/lb/tokenHash';
import { loadExtension } from '../../../runtime/ns/loadExtension';

const load = (name: string) => loadExtension(readFileSync(`examples/${name}`, 'utf8'), `examples/${name}`);
const LB: LbSettings = { services: PLACEHOLDER_SERVICES, method: 'USER_TOKEN', persistence: 'USERSESSION' };

test('mqtt.lua on mosquitto 5.0 in two chunks: send + pipe, token = session = ClientID, USER_TOKEN decision, agrees with the reference', async () => {
  const ext = await load('mqtt.lua');
  const r = simulate(ext, CAPTURED.mosquittoV5, splitChunks(CAPTURED.mosquittoV5, [7]), LB);
  ext.dispose();
  assert.equal(r.outcome, 'send');
  assert.equal(r.user_token, 'probe-mqttv5');
  assert.equal(r.user_session, 'probe-mqttv5');
  assert.equal(r.token_hex, Buffer.from('probe-mqttv5').toString('hex'));
  assert.equal(r.piped, true);
  assert.equal(r.error, null);
  assert.deepEqual(r.deliveries.map((d) => [d.bytes, d.held]), [[7, true], [23, false]]);
  const expected = pickByToken(Buffer.from('probe-mqttv5'), PLACEHOLDER_SERVICES.map((s) => s.id));
  assert.equal(r.decision?.service, expected);
  assert.equal(r.decision?.chosenBy, 'USER_TOKEN');
  assert.equal(r.decision?.persistence, 'new');
  assert.deepEqual(r.services, ['broker1 127.0.0.1:18831', 'broker2 127.0.0.1:18832', 'broker3 127.0.0.1:18833']);
  assert.deepEqual([r.reference.valid, r.reference.version, r.reference.clientId, r.reference.error], [true, '5.0', 'probe-mqttv5', null]);
  assert.equal(r.check!.agree, true);
});

test('the documented script on MQTT 5.0 without properties: empty token, round-robin fallback, disagreement', async () => {
  const ext = await load('mqtt-documented.lua');
  const packet = encodeConnect({ version: '5.0', clientId: 'sensor-1' });
  const r = simulate(ext, packet, [packet], LB);
  ext.dispose();
  assert.equal(r.outcome, 'send');
  // the script did send a user_token: an empty string (nil would also be null here)
  assert.equal(r.user_token, '');
  assert.equal(r.token_hex, '');
  assert.equal(r.decision?.chosenBy, 'ROUNDROBIN');
  assert.equal(r.decision?.persistence, 'none');
  assert.equal(r.reference.clientId, 'sensor-1');
  assert.equal(r.check!.agree, false);
});

test('a malformed CONNECT is reset with file:line and the decoder says why', async () => {
  const ext = await load('mqtt.lua');
  const packet = Uint8Array.from([0x30, 0x02, 0x00, 0x00]);
  const r = simulate(ext, packet, [packet], LB);
  ext.dispose();
  assert.equal(r.outcome, 'reset');
  assert.match(r.error!, /^examples\/mqtt\.lua:\d+: Missing MQTT Connect packet\./);
  assert.equal(r.decision, null);
  assert.equal(r.reference.valid, false);
  assert.equal(r.reference.errorCode, 'not-connect');
  assert.equal(r.check!.agree, true);
});

test('--service flags: NAME=HOST:PORT or svcN; placeholders when none; bad values are usage errors', () => {
  assert.deepEqual(parseServiceFlags([]), [...PLACEHOLDER_SERVICES]);
  assert.deepEqual(parseServiceFlags(['a=10.0.0.1:1883', '127.0.0.1:1884']), [{ id: 'a', host: '10.0.0.1', port: 1883 }, { id: 'svc2', host: '127.0.0.1', port: 1884 }]);
  assert.throws(() => parseServiceFlags(['nohost']), CliUsageError);
  assert.throws(() => parseServiceFlags(['x=1.2.3.4:1', 'x=1.2.3.4:2']), /used twice/);
  assert.equal(parseLbMethod('roundrobin'), 'ROUNDROBIN');
  assert.throws(() => parseLbMethod('HASH'), /--lb-method/);
  assert.equal(parsePersistence(undefined), 'USERSESSION');
  assert.throws(() => parsePersistence('SOURCEIP'), /--persistence/);
});

test('--chunks: positive integers separated by commas', () => {
  assert.equal(parseChunks(undefined), undefined);
  assert.deepEqual(parseChunks('1, 6,20'), [1, 6, 20]);
  assert.throws(() => parseChunks('1,0'), CliUsageError);
  assert.throws(() => parseChunks('a'), CliUsageError);
});
