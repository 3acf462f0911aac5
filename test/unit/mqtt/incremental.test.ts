// Incremental decoding: every prefix of a valid CONNECT is 'incomplete' with a correct `needed`, and no 2-fragment split's first fragment gives a wrong verdict.
import assert from 'node:assert/strict';
import test from 'node:test';
import { decodeConnect } from '../../../runtime/mqtt/connectDecoder';
import { encodeConnect } from '../../../runtime/mqtt/connectEncoder';
import { builtinCorpus, splitCases, twoFragmentSplits, type CorpusExpectation } from '../../../runtime/mqtt/corpus';
import type { DecodeResult } from '../../../runtime/mqtt/decodeResult';
import { fieldAt } from '../../../runtime/mqtt/fields';
import { randomConnectOptions } from './generate';
import { Prng } from './prng';

/** Bytes of the fixed header (type byte + remaining-length bytes) of a well-formed packet. */
function headerLength(bytes: Uint8Array): number {
  let i = 1;
  while (bytes[i] & 0x80) i++;
  return i + 1;
}

function checkPrefixes(bytes: Uint8Array, label: string): void {
  const header = headerLength(bytes);
  for (let k = 0; k < bytes.length; k++) {
    const r = decodeConnect(bytes.subarray(0, k));
    if (r.status !== 'incomplete') assert.fail(`${label}: prefix of ${k}/${bytes.length} bytes gave ${r.status}${r.status === 'invalid' ? `: ${r.error.message}` : ''}`);
    if (k >= header) assert.equal(r.needed, bytes.length - k, `${label}: needed after ${k} bytes`);
    else assert.ok(r.needed >= 1 && k + r.needed <= bytes.length, `${label}: needed ${r.needed} after ${k} header bytes`);
  }
  assert.equal(decodeConnect(bytes).status, 'ok', `${label}: the whole packet`);
}

test('every prefix of every valid corpus case is incomplete with an exact `needed` once the header is in', () => {
  let checked = 0;
  for (const c of builtinCorpus()) {
    if (c.expect.status !== 'ok' || c.bytes.length > 2000) continue;
    checkPrefixes(c.bytes.subarray(0, c.expect.length), c.name);
    checked++;
  }
  assert.ok(checked >= 15, `${checked} valid corpus cases checked`);
});

test('every prefix of 300 random valid CONNECTs is incomplete until complete', () => {
  const rng = new Prng(1234);
  for (let i = 0; i < 300; i++) checkPrefixes(encodeConnect(randomConnectOptions(rng)), `random ${i}`);
});

test('a 16,400-byte ClientID: prefixes across the 3-byte remaining length and the id', () => {
  const bytes = encodeConnect({ clientId: 'x'.repeat(16_400) });
  assert.equal(bytes[1] & 0x80, 0x80);
  assert.equal(bytes[2] & 0x80, 0x80);
  assert.equal(bytes[3] & 0x80, 0);
  for (const k of [0, 1, 2, 3, 4, 10, 16, 17, 100, 16_000, bytes.length - 1]) {
    const r = decodeConnect(bytes.subarray(0, k));
    assert.equal(r.status, 'incomplete', `prefix ${k}`);
    if (r.status === 'incomplete' && k >= 4) assert.equal(r.needed, bytes.length - k);
  }
  const whole = decodeConnect(bytes);
  assert.equal(whole.status, 'ok');
});

test('bytes past the remaining length are the next packet, not an error', () => {
  const connect = encodeConnect({ version: '5.0', clientId: 'next', properties: { receiveMaximum: 20 } });
  const flight = Buffer.concat([connect, Buffer.from('30050001746869', 'hex'), Buffer.from([0xff, 0xff])]);
  const r = decodeConnect(flight);
  assert.equal(r.status, 'ok');
  if (r.status === 'ok') {
    assert.equal(r.length, connect.length);
    assert.equal(r.packet.clientId, 'next');
    assert.equal(fieldAt(r.fields, connect.length), undefined, 'no field owns the next packet');
    assert.equal(fieldAt(r.fields, connect.length - 1)?.id, 'clientId');
  }
});

/** A decoder result in the corpus's expectation shape, so ClientID, version and length are compared, not only the status. */
function asExpectation(r: DecodeResult): CorpusExpectation | { status: 'incomplete' } {
  if (r.status === 'ok') {
    const { version, clientId, clientIdBytes } = r.packet;
    return { status: 'ok', version, clientId, clientIdHex: Buffer.from(clientIdBytes).toString('hex'), length: r.length };
  }
  return r.status === 'invalid' ? { status: 'invalid', code: r.error.code } : { status: 'incomplete' };
}

test('every 2-fragment split: the first fragment alone is incomplete (asking no more than the packet holds) or already the final verdict, ClientID and length included', () => {
  let splits = 0;
  let early = 0;
  for (const c of builtinCorpus()) {
    if (c.bytes.length > 2000) continue;
    assert.deepEqual(asExpectation(decodeConnect(c.bytes)), c.expect, `${c.name}: the whole flight`);
    for (const s of splitCases(c)) {
      const [head] = s.chunks;
      const first = decodeConnect(head);
      splits++;
      if (first.status === 'incomplete') {
        assert.ok(first.needed >= 1, `${s.name}: needed ${first.needed}`);
        if (s.expect.status === 'ok') assert.ok(head.length + first.needed <= s.expect.length, `${s.name}: needed ${first.needed} after ${head.length} of ${s.expect.length} bytes`);
        continue;
      }
      // A verdict before the second fragment must be the one the whole flight gets: same ClientID and length, or same rejection.
      early++;
      assert.deepEqual(asExpectation(first), s.expect, `${s.name}: verdict on the first fragment alone`);
    }
  }
  assert.ok(splits > 1000, `${splits} splits`);
  assert.ok(early > 0 && early < splits, `${early} of ${splits} first fragments already decide`);
});

test('twoFragmentSplits yields len-1 views that concatenate back', () => {
  const bytes = Uint8Array.of(1, 2, 3, 4);
  const all = [...twoFragmentSplits(bytes)];
  assert.equal(all.length, 3);
  for (const [a, b] of all) assert.deepEqual([...a, ...b], [1, 2, 3, 4]);
  assert.deepEqual(all.map(([a]) => a.length), [1, 2, 3]);
});

test('a partial packet\'s field map already shows the length of the string still arriving', () => {
  const bytes = encodeConnect({ version: '3.1.1', clientId: 'partial-client' });
  const r = decodeConnect(bytes.subarray(0, 16));
  assert.equal(r.status, 'incomplete');
  const ids = r.fields.filter((f) => f.parent === undefined).map((f) => f.id);
  assert.deepEqual(ids, ['fixed.type', 'fixed.remainingLength', 'protocol.name.length', 'protocol.name', 'protocol.level', 'flags', 'keepAlive', 'clientId.length']);
  assert.equal(r.fields.at(-1)?.value, 'partial-client'.length);
});
