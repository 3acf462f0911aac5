// The agreement rule between a script run and the reference decoder: tokens by exact bytes, malformed must reset, incomplete must hold.
import test from 'node:test';
import assert from 'node:assert/strict';
import { judgeRun, type CheckExpectation } from '../../../runtime/cli/checkJudge';
import { V5_HINT, expectationOf } from '../../../runtime/protocols/mqtt/mqttCheck';
import type { FirstFlightOutcome, FirstFlightRun } from '../../../runtime/cli/firstFlight';
import { CAPTURED, referenceVerdict } from '../../../runtime/mqtt';

function run(outcome: FirstFlightOutcome, token: string | null = null, heldBytes = 0): FirstFlightRun {
  const send = outcome === 'send' ? { event: 'DATA' as const, data: new Uint8Array(0), token: token === null ? null : Buffer.from(token, 'latin1'), session: null } : null;
  const error = outcome === 'reset' ? { kind: 'runtime' as const, message: 'x.lua:7: boom', file: 'x.lua', line: 7, traceback: '' } : null;
  return { outcome, firstSend: send, sendLog: send ? [send] : [], sends: send ? 1 : 0, bytesSent: 0, replies: 0, bytesToClient: 0, piped: false, closed: outcome === 'close', error, heldBytes, deliveries: [] };
}

const V5: CheckExpectation = { kind: 'token', version: '5.0', clientId: 'probe', clientIdHex: Buffer.from('probe').toString('hex'), hint: V5_HINT };
const EMPTY: CheckExpectation = { kind: 'token', version: '3.1.1', clientId: '', clientIdHex: '' };
const BAD: CheckExpectation = { kind: 'reject', code: 'reserved-flag-set', message: 'the reserved connect flag (bit 0) must be 0' };

test('a send with the exact ClientID bytes agrees', () => {
  assert.deepEqual(judgeRun(run('send', 'probe'), V5), { agree: true, expected: 'user_token "probe"', got: 'send user_token "probe"', why: null });
});

test('an empty token on MQTT 5 disagrees and points at the properties', () => {
  const j = judgeRun(run('send', ''), V5);
  assert.equal(j.agree, false);
  assert.match(j.why!, /user_token is empty but the ClientID is "probe"; in MQTT 5\.0 a property length/);
});

test('a different token disagrees; an absent token equals an empty ClientID', () => {
  assert.match(judgeRun(run('send', 'prob'), V5).why!, /^user_token is not the ClientID/);
  assert.equal(judgeRun(run('send', null), EMPTY).agree, true);
  assert.equal(judgeRun(run('send', ''), EMPTY).agree, true);
});

test('holding or resetting a valid CONNECT disagrees, saying which', () => {
  const hold = judgeRun(run('hold', null, 30), V5);
  assert.equal(hold.got, 'hold (30 bytes held)');
  assert.match(hold.why!, /^holds although the whole CONNECT arrived/);
  const reset = judgeRun(run('reset'), V5);
  assert.equal(reset.got, 'reset at x.lua:7');
  assert.match(reset.why!, /^resets a valid CONNECT: x\.lua:7: boom/);
});

test('malformed: reset or close agree; forwarding and holding forever disagree, saying which', () => {
  assert.equal(judgeRun(run('reset'), BAD).agree, true);
  assert.equal(judgeRun(run('close'), BAD).agree, true);
  assert.match(judgeRun(run('send', 'bad'), BAD).why!, /^forwards a malformed CONNECT \(reserved-flag-set: the reserved/);
  assert.match(judgeRun(run('hold', null, 9), BAD).why!, /^holds a malformed CONNECT \(reserved-flag-set.*forever/);
  assert.equal(judgeRun(run('drop'), BAD).agree, false);
  assert.equal(judgeRun(run('pipe'), BAD).agree, false);
});

test('expectations from the reference verdict: ok, invalid, incomplete', () => {
  assert.deepEqual(expectationOf(referenceVerdict(CAPTURED.mosquittoV5)), { kind: 'token', version: '5.0', clientId: 'probe-mqttv5', clientIdHex: Buffer.from('probe-mqttv5').toString('hex'), hint: V5_HINT });
  assert.equal(expectationOf(referenceVerdict(Uint8Array.from([0x30, 0x00]))).kind, 'reject');
  const incomplete = expectationOf(referenceVerdict(CAPTURED.mosquittoV5.subarray(0, 10)));
  assert.equal(incomplete.kind, 'hold');
  assert.equal(judgeRun(run('hold', null, 10), incomplete).agree, true);
  assert.match(judgeRun(run('send', 'x'), incomplete).why!, /before the CONNECT is complete/);
});
