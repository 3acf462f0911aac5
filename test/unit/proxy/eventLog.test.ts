// Event output: jsonl lines are flat JSON objects with the event name; human lines explain decisions and resets.
import test from 'node:test';
import assert from 'node:assert/strict';
import { EventLog, humanLine } from '../../../runtime/cli/eventLog';

const decision = {
  conn: 7, service: 'b2', address: '127.0.0.1:1885', method: 'USER_TOKEN' as const, chosenBy: 'USER_TOKEN' as const,
  token: 'alice', tokenHex: '616c696365', session: 'alice', persistence: 'new' as const, reason: 'new persistence entry: user_token hashes to b2 among 3 up',
};

test('jsonl: one JSON object per line with event, time and the payload fields', () => {
  const lines: string[] = [];
  const log = new EventLog('jsonl', (l) => lines.push(l));
  log.proxyEvent('decision', decision);
  log.proxyEvent('reset', { conn: 8, reason: 'script-error', message: 'mqtt.lua:41: Missing MQTT Connect packet.', error: null });
  const [d, r] = lines.map((l) => JSON.parse(l));
  assert.equal(d.event, 'decision');
  assert.match(d.time, /^\d{4}-\d\d-\d\dT/);
  assert.deepEqual({ ...d, time: undefined, event: undefined }, { ...decision, time: undefined, event: undefined });
  assert.deepEqual([r.event, r.reason], ['reset', 'script-error']);
});

test('human lines say where a connection went and why', () => {
  assert.equal(humanLine('decision', decision), '#7 decision -> b2 (127.0.0.1:1885) token "alice" session "alice" persistence new: new persistence entry: user_token hashes to b2 among 3 up');
  assert.equal(humanLine('reset', { conn: 8, reason: 'first-flight-too-large', message: 'too big', error: null }), '#8 RESET first-flight-too-large: too big');
  assert.equal(humanLine('service-down', { service: 'b1', address: '127.0.0.1:1', reason: 'connect failed' }), 'service b1 (127.0.0.1:1) DOWN: connect failed');
});

test('human lines for ns.logger lines (level, connection, file:line, message) and answers to the client', () => {
  assert.equal(humanLine('log', { level: 'info', conn: 4, file: 'ping.lua', line: 3, message: 'saw 8 bytes' }), '#4 [info] ping.lua:3: saw 8 bytes');
  assert.equal(humanLine('log', { level: 'notice', conn: null, file: 'ping.lua', line: null, message: 'loaded' }), '[notice] ping.lua: loaded');
  assert.equal(humanLine('reply', { conn: 4, bytes: 5, eom: true }), '#4 reply 5 bytes -> client (ns.send to ctxt.client)');
});
