// check over the built-in corpus on the bundled samples: mqtt.lua agrees everywhere (splits included); the documented script misreads every MQTT 5.0 case.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { builtinCheckCases } from '../../../runtime/cli/checkCorpus';
import { runCheck } from '../../../runtime/cli/checkRunner';
import { runFirstFlight } from '../../../runtime/cli/firstFlight';
import { loadExtension } from '../../../runtime/ns/loadExtension';

const load = (name: string) => loadExtension(readFileSync(`examples/${name}`, 'utf8'), `examples/${name}`);

test('examples/mqtt.lua agrees with the reference decoder on every case and every 2-fragment split', { timeout: 60_000 }, async () => {
  const ext = await load('mqtt.lua');
  const result = runCheck(ext, builtinCheckCases());
  ext.dispose();
  assert.deepEqual(result.rows, []);
  assert.equal(result.disagreements, 0);
  assert.equal(result.runs, result.agreements);
  assert.ok(result.splitRuns > 18_000, `${result.splitRuns} split runs`);
});

test('examples/mqtt.lua resets malformed CONNECTs at the check that catches them', async () => {
  const ext = await load('mqtt.lua');
  const cases = new Map(builtinCheckCases().map((c) => [c.name, c]));
  const expected: Record<string, RegExp> = {
    'reserved-flag': /reserved connect flag is set/,
    'will-qos-3': /will QoS 3/,
    'will-retain-without-will': /will QoS or retain without the will flag/,
    'v311-password-without-username': /password without user name/,
    'v5-unknown-property': /property 0x05 is not allowed in the CONNECT properties/,
    'v5-duplicate-receive-maximum': /property 0x21 appears twice/,
    'v5-receive-maximum-zero': /property 0x21 has the invalid value 0/,
    'v5-will-property-not-allowed': /property 0x21 is not allowed in the will properties/,
    'client-id-invalid-utf8': /ClientID is not UTF-8/,
    'client-id-nul': /ClientID contains U\+0000/,
    'username-invalid-utf8': /user name is not UTF-8/,
    'will-topic-surrogate': /will topic is not UTF-8/,
    'v31-empty-id': /empty ClientID not allowed/,
    'v311-empty-id-persistent': /empty ClientID not allowed/,
    'trailing-garbage': /bytes left after the last field/,
  };
  for (const [name, message] of Object.entries(expected)) {
    const run = runFirstFlight(ext, [cases.get(name)!.bytes]);
    assert.equal(run.outcome, 'reset', name);
    assert.match(run.error!.message, /^examples\/mqtt\.lua:\d+: MQTT CONNECT packet parse error - /, name);
    assert.match(run.error!.message, message, name);
  }
  ext.dispose();
});

test('the documented mqtt.lua disagrees on every valid MQTT 5.0 case (empty token or a hold) and on no valid 3.x case', { timeout: 60_000 }, async () => {
  const ext = await load('mqtt-documented.lua');
  const cases = builtinCheckCases();
  const result = runCheck(ext, cases, { splits: false });
  ext.dispose();
  const valid5 = cases.filter((c) => c.expect.kind === 'token' && c.version === '5.0').map((c) => c.name);
  const validRows = result.rows.filter((r) => r.expected.startsWith('user_token'));
  assert.deepEqual(validRows.map((r) => r.case).sort(), [...valid5].sort());
  for (const r of validRows) assert.match(r.got, /^(send, empty user_token|hold \(\d+ bytes held\))$/, r.case);
  assert.ok(validRows.some((r) => r.case === 'v5-no-properties' && r.got === 'send, empty user_token'));
  assert.ok(validRows.some((r) => r.case === 'v5-mosquitto-receive-maximum' && r.got.startsWith('hold')));
});
