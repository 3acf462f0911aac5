// The Packet Inspector's HTML for MQTT, syslog and raw, and the "Debug First Flight" presets: field map, read marks, messages sent, warnings, escaping, decoder verdicts.
import test from 'node:test';
import assert from 'node:assert/strict';
import { renderInspector, escapeHtml } from '../../../client/inspector/renderInspector';
import { firstFlightConfiguration, packetPresets } from '../../../client/debug/packetPresets';
import { buildInspectorState, protocolView, referenceOf, type ScriptView, type SentView } from '../../../runtime/debug/inspectorModel';
import type { DecisionStatus } from '../../../runtime/debug/runState';
import { PROTOCOLS, type Protocol } from '../../../runtime/protocols';
import { resolvePacket } from '../../../runtime/packets/packetSource';
import { encodeConnect } from '../../../runtime/mqtt';
import type { StopInfo } from '../../../runtime/debug/workerProtocol';

const MQTT = PROTOCOLS.mqtt;
const NO_TOKEN: ScriptView = { token: null, from: null };

/** The inspector state at a stop, as the run state builds it for `protocol`. */
function stateOf(data: Uint8Array, reads: number[], script: ScriptView = NO_TOKEN, decision: DecisionStatus = { kind: 'none' }, protocol: Protocol = MQTT, sent: SentView[] = []) {
  return buildInspectorState('/w/x.lua', stopAt(data, reads), 1, script, decision, referenceOf(protocol), protocolView(protocol), sent);
}

function stopAt(data: Uint8Array, reads: number[]): StopInfo {
  return { reason: 'step', line: 62, event: 40, delivery: 0, data, reads, lastRead: reads.length ? reads[reads.length - 1] : null, exception: null, clientIdLocal: null };
}

test('the hex grid marks read bytes and the cursor with text, not colour alone', () => {
  const data = encodeConnect({ version: '3.1.1', clientId: 'test' });
  const html = renderInspector(stateOf(data, [0, 1]));
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
  const html = renderInspector(stateOf(data, [], { token: Uint8Array.from([]), from: 'user_token' }));
  assert.match(html, /role="alert"><strong>Warning:<\/strong> ClientID mismatch/);
  assert.ok(html.includes(escapeHtml(JSON.stringify('<b>x</b>'))));
  assert.doesNotMatch(html, /<b>x<\/b>/);
});

test('remaining length over several bytes shows each digit times its multiplier', () => {
  const data = encodeConnect({ version: '3.1.1', clientId: 'c'.repeat(200) });
  assert.equal(referenceOf(MQTT)(data).view.status, 'ok');
  const html = renderInspector(stateOf(data, []));
  assert.match(html, /× 1 \+ .*× 128 = <strong>212<\/strong>/);
});

test('every preset builds a packet; the valid ones decode and the malformed one is rejected', () => {
  for (const protocol of [MQTT, PROTOCOLS.syslog]) {
    for (const preset of packetPresets(protocol)) {
      const r = resolvePacket(preset.packet, undefined, () => new Uint8Array(), '/', protocol);
      const verdict = referenceOf(protocol)(r.bytes).view;
      if (preset.label.startsWith('Malformed')) assert.equal(verdict.status, 'invalid', preset.label);
      else assert.equal(verdict.status, 'ok', `${preset.label}: ${verdict.error}`);
      if (/Fragmented|split across/.test(preset.label)) assert.ok(r.deliveries.length > 1, preset.label);
      const config = firstFlightConfiguration('/w/x.lua', protocol, preset);
      assert.equal(config.type, 'protoext');
      assert.equal(config.protocol, protocol.name);
      assert.equal(config.program, '/w/x.lua');
    }
  }
  assert.deepEqual(packetPresets(MQTT).map((p) => p.label.split(' ')[0]), ['MQTT', 'MQTT', 'MQTT', 'MQTT', 'Fragmented', 'Malformed:']);
  assert.deepEqual(packetPresets(PROTOCOLS.syslog).map((p) => p.label), ['2.5 messages in one delivery', 'A message split across deliveries', 'Octet-counted frames', 'An RFC 3164 line']);
});

test('the byte view is one wrapping list (no fixed 16-column rows) and the decision says who made it', () => {
  const data = encodeConnect({ version: '3.1.1', clientId: 'sensor-0042' });
  const state = stateOf(data, [], NO_TOKEN, { kind: 'pending' });
  const html = renderInspector(state);
  assert.equal((html.match(/<li /g) ?? []).length, data.length);
  assert.doesNotMatch(html, /<tr role="row">/);
  assert.match(html, /ns\.send ran: the local LB decides/);
  const decided = renderInspector({ ...state, decisionPending: false, decision: { service: 'broker2', address: '127.0.0.1:18832', method: 'USER_TOKEN', chosenBy: 'USER_TOKEN', token: 'sensor-0042', tokenHex: null, session: 'sensor-0042', persistence: 'new', reason: 'hash of the token', persistenceType: 'USERSESSION', expiry: 'x', basis: 'made by the local LB for this connection' } });
  assert.match(decided, /<dt>Decided<\/dt><dd>made by the local LB for this connection<\/dd>/);
});

test('syslog: the field map covers every whole message, the sent messages list their services, no ClientID table', () => {
  const data = PROTOCOLS.syslog.presets()[0].bytes;
  const first = Buffer.from(data).subarray(0, Buffer.from(data).indexOf(0x0a) + 1);
  const sent: SentView[] = [{ index: 1, event: 'EOM', length: first.length, text: first.toString('latin1').replace('\n', '\\n'), hex: first.toString('hex'), service: 'syslog1', reason: 'round robin' }];
  const state = stateOf(data, [], NO_TOKEN, { kind: 'none' }, PROTOCOLS.syslog, sent);
  assert.match(state.reference.label ?? '', /^2 messages, then \d+ byte\(s\) of an incomplete one$/);
  assert.ok(state.fields.some((f) => f.label === '#2 HOSTNAME'), state.fields.map((f) => f.label).join());
  assert.equal(state.warning, null);
  const html = renderInspector(state);
  assert.match(html, /<caption>Messages sent \(1\)<\/caption>/);
  assert.match(html, /<td>syslog1<\/td>/);
  assert.match(html, /No decision for the next message yet/);
  assert.doesNotMatch(html, /ClientID/);
  const wrong = stateOf(data, [], NO_TOKEN, { kind: 'none' }, PROTOCOLS.syslog, [{ ...sent[0], hex: '41' }]);
  assert.match(wrong.warning ?? '', /message 1 differs/);
});

test('raw: no field map and no reference, said in words', () => {
  const html = renderInspector(stateOf(Buffer.from('hello\n'), [0], NO_TOKEN, { kind: 'none' }, PROTOCOLS.raw));
  assert.match(html, /raw TCP has no reference decoder/);
  assert.doesNotMatch(html, /not part of a/);
});
