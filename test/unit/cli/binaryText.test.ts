// binaryText keeps every byte of a token: UTF-8 when valid, else latin1 (one character per byte); table cells are quoted and shortened.
import test from 'node:test';
import assert from 'node:assert/strict';
import { binaryText, quoteForTable } from '../../../runtime/cli/binaryText';

test('valid UTF-8 is decoded as UTF-8', () => {
  assert.deepEqual(binaryText(Buffer.from('capteur-é-温度', 'utf8')), { text: 'capteur-é-温度', encoding: 'utf8', hex: Buffer.from('capteur-é-温度').toString('hex') });
});

test('invalid UTF-8 falls back to latin1, which maps back to the exact bytes', () => {
  const bytes = Uint8Array.from([0x69, 0xff, 0xfe, 0x00, 0x80]);
  const t = binaryText(bytes);
  assert.equal(t.encoding, 'latin1');
  assert.equal(t.hex, '69fffe0080');
  assert.deepEqual(Buffer.from(t.text, 'latin1'), Buffer.from(bytes));
});

test('a subarray view is read from its own offset', () => {
  const whole = Buffer.from('xxabyy');
  assert.equal(binaryText(whole.subarray(2, 4)).text, 'ab');
});

test('table cells: JSON-quoted, control characters escaped, long text cut in the middle', () => {
  assert.equal(quoteForTable('a\u0000b'), '"a\\u0000b"');
  const long = quoteForTable('x'.repeat(100), 20);
  assert.ok(long.length <= 20, long);
  assert.match(long, /^"x+\.\.\.x+"$/);
});
