// The CONNECT Inspector's HTML and the "Debug CONNECT Parsing" presets: field map, read marks, warnings, escaping, decoder verdicts.
import test from 'node:test';
import assert from 'node:assert/strict';
import { renderInspector, escapeHtml } from '../../../client/inspector/renderInspector';
import { connectDebugConfiguration, PACKET_PRESETS } from '../../../client/debug/packetPresets';
import { buildInspectorState, referenceOf } from '../../../runtime/debug/inspectorModel';
import { resolvePacket } from '../../../runtime/packets/packetSource';
import { encodeConnect } from '../../../runtime/mqtt';
import type { StopInfo } from '../../../runtime/debug/workerProtocol';

function stopAt(data: Uint8Array, reads: number[]): StopInfo {
  return { reason: 'step', line: 62, event: 40, delivery: 0, data, reads, lastRead: reads.length ? reads[reads.length - 1] : null, exception: null, clientIdLocal: null };
}

test('the hex grid marks read bytes and the cursor with text, not colour alone', () => {
  const data = encodeConnect({ version: '3.1.1', clientId: 'test' });
  const html = renderInspector(buildInspectorState('/w/mqtt.lua', stopAt(data, [0, 1]), 1, { token: null, from: null }, { kind: 'none' }, referenceOf));
  assert.match(html, /aria-label="offset 0: 0x10, [^"]*read by the script"/);
  assert.match(html, /aria-label="offset 1: 0x10, [^"]*read by the script, last byte read"/);
  assert.match(html, /aria-label="offset 2: 0x00, [^"]*not read"/);
  assert.match(html, /Remaining length/);
  assert.match(html, /= <strong>16<\/strong>/);
  assert.match(html, /not extracted yet/);
  assert.doesNotMatch(html, /role="alert"/);
});

test('a ClientID mismatch is an alert naming both ClientIDs, and script text is escaped', () => {
  const data = encodeConnect({ version: '5.0', clientId: '<b>x</b>' });
  const html = renderInspector(buildInspectorState('/w/mqtt.lua', stopAt(data, []), 1, { token: Uint8Array.from([]), from: 'user_token' }, { kind: 'none' }, referenceOf));
  assert.match(html, /role="alert"><strong>Warning:<\/strong> ClientID mismatch/);
  assert.ok(html.includes(escapeHtml(JSON.stringify('<b>x</b>'))));
  assert.doesNotMatch(html, /<b>x<\/b>/);
});

test('remaining length over several bytes shows each digit times its multiplier', () => {
  const data = encodeConnect({ version: '3.1.1', clientId: 'c'.repeat(200) });
  const ref = referenceOf(data);
  assert.equal(ref.view.status, 'ok');
  const html = renderInspector(buildInspectorState('/w/mqtt.lua', stopAt(data, []), 1, { token: null, from: null }, { kind: 'none' }, referenceOf));
  assert.match(html, /× 1 \+ .*× 128 = <strong>212<\/strong>/);
});

test('every preset builds a packet; the valid ones decode and the malformed one is rejected', () => {
  for (const preset of PACKET_PRESETS) {
    const r = resolvePacket(preset.packet, preset.chunks, () => new Uint8Array(), '/');
    const verdict = referenceOf(r.bytes).view;
    if (preset.label.startsWith('Malformed')) assert.equal(verdict.status, 'invalid', preset.label);
    else assert.equal(verdict.status, 'ok', `${preset.label}: ${verdict.error}`);
    if (preset.chunks) assert.ok(r.deliveries.length > 1);
    const config = connectDebugConfiguration('/w/mqtt.lua', preset);
    assert.equal(config.type, 'protoext');
    assert.equal(config.program, '/w/mqtt.lua');
  }
  assert.deepEqual(PACKET_PRESETS.map((p) => p.label.split(' ')[0]), ['MQTT', 'MQTT', 'MQTT', 'MQTT', 'Fragmented', 'Malformed:']);
});

test('the byte view is one wrapping list (no fixed 16-column rows) and the decision says who made it', () => {
  const data = encodeConnect({ version: '3.1.1', clientId: 'sensor-0042' });
  const state = buildInspectorState('/w/mqtt.lua', stopAt(data, []), 1, { token: null, from: null }, { kind: 'pending' }, referenceOf);
  const html = renderInspector(state);
  assert.equal((html.match(/<li /g) ?? []).length, data.length);
  assert.doesNotMatch(html, /<tr role="row">/);
  assert.match(html, /ns\.send ran: the local LB decides/);
  const decided = renderInspector({ ...state, decisionPending: false, decision: { service: 'broker2', address: '127.0.0.1:18832', method: 'USER_TOKEN', chosenBy: 'USER_TOKEN', token: 'sensor-0042', tokenHex: null, session: 'sensor-0042', persistence: 'new', reason: 'hash of the token', persistenceType: 'USERSESSION', expiry: 'x', basis: 'made by the local LB for this connection' } });
  assert.match(decided, /<dt>Decided<\/dt><dd>made by the local LB for this connection<\/dd>/);
});
