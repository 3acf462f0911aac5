// The bundled examples on hand-written CONNECTs: mqtt.lua extracts the ClientID for 3.1, 3.1.1 and 5.0 at every split; the documented script misreads 5.0.
import test from 'node:test';
import assert from 'node:assert/strict';
import type { DeliveryResult } from '../../../runtime/ns/types';
import {
  CONNECT_31, CONNECT_311, CONNECT_311_EMPTY_ID, CONNECT_5_MANY_PROPS, CONNECT_5_NO_PROPS, CONNECT_5_PROPS, PINGREQ, text,
} from './connectFixtures';
import { connect, loadExample } from './nsHarness';

const FLIGHTS = [
  ['3.1', CONNECT_31, 'abcd'],
  ['3.1.1', CONNECT_311, 'abcd'],
  ['5.0 without properties', CONNECT_5_NO_PROPS, 'abcd'],
  ['5.0 with Receive Maximum', CONNECT_5_PROPS, 'abcd'],
  ['5.0 with session expiry and a user property', CONNECT_5_MANY_PROPS, 'dev-42'],
  ['3.1.1 with an empty ClientID', CONNECT_311_EMPTY_ID, ''],
] as const;

function expectSendThenPipe(r: DeliveryResult, packet: Uint8Array, clientId: string): void {
  assert.equal(r.error, null, r.error?.message);
  assert.equal(r.held, false);
  assert.equal(r.actions.length, 2);
  const [send, pipe] = r.actions;
  assert.ok(send.kind === 'send');
  assert.equal(send.event, 'DATA');
  assert.deepEqual(send.data, packet);
  assert.equal(text(send.userToken), clientId);
  assert.equal(text(send.userSession), clientId);
  assert.deepEqual(pipe, { kind: 'pipe' });
}

for (const [version, packet, clientId] of FLIGHTS) {
  test(`mqtt.lua: ${version} in one delivery gives user_token = user_session = "${clientId}"`, async () => {
    const ext = await loadExample('mqtt.lua');
    expectSendThenPipe(connect(ext).onClientData(packet), packet, clientId);
    ext.dispose();
  });

  test(`mqtt.lua: ${version} split at every point holds, then extracts "${clientId}"`, async () => {
    const ext = await loadExample('mqtt.lua');
    for (let cut = 1; cut < packet.length; cut++) {
      const conn = connect(ext);
      const first = conn.onClientData(packet.subarray(0, cut));
      assert.equal(first.held, true, `split at ${cut}`);
      assert.deepEqual(first.actions, [], `split at ${cut}`);
      expectSendThenPipe(conn.onClientData(packet.subarray(cut)), packet, clientId);
      conn.dispose();
    }
    ext.dispose();
  });
}

test('mqtt.lua: one byte at a time holds until the last byte of the CONNECT', async () => {
  const ext = await loadExample('mqtt.lua');
  const conn = connect(ext);
  for (let i = 0; i < CONNECT_5_PROPS.length - 1; i++) {
    assert.equal(conn.onClientData(CONNECT_5_PROPS.subarray(i, i + 1)).held, true, `byte ${i}`);
  }
  expectSendThenPipe(conn.onClientData(CONNECT_5_PROPS.subarray(-1)), CONNECT_5_PROPS, 'abcd');
  ext.dispose();
});

test('mqtt.lua: a first packet that is not CONNECT resets the connection at the check', async () => {
  const ext = await loadExample('mqtt.lua');
  const r = connect(ext).onClientData(PINGREQ);
  assert.equal(r.error?.kind, 'runtime');
  assert.match(r.error?.message ?? '', /^examples\/mqtt\.lua:\d+: Missing MQTT Connect packet\.$/);
  ext.dispose();
});

test('mqtt-documented.lua: right for 3.1 and 3.1.1', async () => {
  const ext = await loadExample('mqtt-documented.lua');
  expectSendThenPipe(connect(ext).onClientData(CONNECT_31), CONNECT_31, 'abcd');
  expectSendThenPipe(connect(ext).onClientData(CONNECT_311), CONNECT_311, 'abcd');
  ext.dispose();
});

test('mqtt-documented.lua: 5.0 without properties gives an empty token (every v5 client on one backend)', async () => {
  const ext = await loadExample('mqtt-documented.lua');
  const r = connect(ext).onClientData(CONNECT_5_NO_PROPS);
  assert.equal(r.error, null);
  assert.ok(r.actions[0].kind === 'send');
  assert.equal(text(r.actions[0].userToken), '', 'reads the property length as the ClientID length');
  ext.dispose();
});

test('mqtt-documented.lua: 5.0 with properties holds forever (a bogus ClientID length)', async () => {
  const ext = await loadExample('mqtt-documented.lua');
  const conn = connect(ext);
  const r = conn.onClientData(CONNECT_5_PROPS);
  assert.equal(r.held, true);
  assert.deepEqual(r.actions, []);
  assert.equal(conn.onClientData(new Uint8Array(64)).held, true, 'still waiting for 801 ClientID bytes');
  ext.dispose();
});
