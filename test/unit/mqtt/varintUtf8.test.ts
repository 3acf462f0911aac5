// Variable byte integers at their boundaries (incl. forced widths) and the strict UTF-8 checker against Node's fatal TextDecoder.
import assert from 'node:assert/strict';
import test from 'node:test';
import { encodeRemainingLength, readVarInt, varIntWidth } from '../../../runtime/mqtt/varint';
import { checkMqttUtf8 } from '../../../runtime/mqtt/utf8';
import { Prng } from './prng';

test('remaining length boundaries encode to the spec\'s byte sequences (3.1.1 §2.2.3 table)', () => {
  const table: [number, string][] = [
    [0, '00'], [127, '7f'], [128, '8001'], [16_383, 'ff7f'], [16_384, '808001'],
    [2_097_151, 'ffff7f'], [2_097_152, '80808001'], [268_435_455, 'ffffff7f'],
  ];
  for (const [value, hexText] of table) {
    const bytes = encodeRemainingLength(value);
    assert.equal(Buffer.from(bytes).toString('hex'), hexText, String(value));
    assert.equal(varIntWidth(value), bytes.length);
    const read = readVarInt(bytes, 0, bytes.length);
    assert.equal(read.status, 'ok');
    if (read.status === 'ok') assert.equal(read.value, value);
  }
  assert.throws(() => encodeRemainingLength(268_435_456), RangeError);
  assert.throws(() => encodeRemainingLength(-1), RangeError);
});

test('forced widths give non-minimal encodings that read back, and 5 bytes reads as too long', () => {
  assert.equal(Buffer.from(encodeRemainingLength(5, 3)).toString('hex'), '858000');
  const read = readVarInt(encodeRemainingLength(5, 3), 0, 3);
  assert.equal(read.status === 'ok' && read.value, 5);
  assert.equal(readVarInt(encodeRemainingLength(5, 5), 0, 5).status, 'too-long');
  assert.throws(() => encodeRemainingLength(200, 1), RangeError);
  assert.equal(readVarInt(Uint8Array.of(0x80, 0x80), 0, 2).status, 'incomplete');
});

test('the UTF-8 checker agrees with a fatal TextDecoder on 20,000 random byte strings (plus U+0000)', () => {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const rng = new Prng(5);
  let valid = 0;
  for (let i = 0; i < 20_000; i++) {
    // bias toward UTF-8 lead/continuation bytes so multi-byte sequences occur
    const bytes = Uint8Array.from(rng.bytes(rng.int(0, 12)), (b) => (rng.chance(0.5) ? 0x80 | (b & 0x3f) : b >= 0xc0 || b < 0x80 ? b : b | 0x40));
    let ok = true;
    try {
      decoder.decode(bytes);
    } catch {
      ok = false;
    }
    const expected = ok && !bytes.includes(0);
    assert.equal(checkMqttUtf8(bytes, 0, bytes.length) === undefined, expected, Buffer.from(bytes).toString('hex'));
    if (expected) valid++;
  }
  assert.ok(valid > 1000, `${valid} valid strings`);
});

test('surrogates, overlongs and code points past U+10FFFF are ill-formed; U+0000 is named', () => {
  for (const hexText of ['eda080', 'c080', 'e08080', 'f4908080', 'f5', 'c3', 'e282']) {
    const b = Buffer.from(hexText, 'hex');
    assert.equal(checkMqttUtf8(b, 0, b.length)?.reason, 'ill-formed', hexText);
  }
  assert.deepEqual(checkMqttUtf8(Uint8Array.of(0x61, 0), 0, 2), { offset: 1, reason: 'null-character' });
  const ok = Buffer.from('é温🌡', 'utf8');
  assert.equal(checkMqttUtf8(ok, 0, ok.length), undefined);
});
