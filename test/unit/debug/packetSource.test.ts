// Launch packet sources: hex strings, files of raw bytes or hex text, encoder-built CONNECTs, and chunk splitting.
import test from 'node:test';
import assert from 'node:assert/strict';
import { parseHex, resolvePacket, splitChunks } from '../../../runtime/packets/packetSource';
import { snapBreakpoints } from '../../../runtime/debug/breakpointSnap';
import { hitMatches } from '../../../runtime/debug/breakpointTable';
import { buildStatementTable, StatementMap } from '../../../runtime/debug/statementMap';

const files: Record<string, Uint8Array> = {
  '/w/raw.bin': Uint8Array.from([0x10, 0x02, 0x00, 0x00]),
  '/w/hex.txt': Uint8Array.from(Buffer.from('10 02\n00 00\n')),
};
const readFile = (p: string): Uint8Array => {
  const f = files[p];
  if (!f) throw new Error(`ENOENT ${p}`);
  return f;
};

test('hex strings accept spaces, colons and 0x prefixes and reject odd digits', () => {
  assert.deepEqual(Array.from(parseHex('0x10:02 00-00')), [0x10, 2, 0, 0]);
  assert.throws(() => parseHex('102'), /not a hex string/);
});

test('file packets are raw bytes unless the file is hex text; relative paths use cwd', () => {
  assert.deepEqual(Array.from(resolvePacket({ file: 'raw.bin' }, undefined, readFile, '/w').bytes), [0x10, 2, 0, 0]);
  assert.deepEqual(Array.from(resolvePacket({ file: '/w/hex.txt' }, undefined, readFile, '/').bytes), [0x10, 2, 0, 0]);
});

test('mqtt packets come from the reference encoder, 5.0 included', () => {
  const r = resolvePacket({ mqtt: { version: '5.0', clientId: 'abc', properties: { receiveMaximum: 20 } } }, undefined, readFile, '/');
  assert.equal(r.bytes[0], 0x10);
  assert.ok(Buffer.from(r.bytes).includes(Buffer.from('MQTT')));
  assert.equal(r.bytes[8], 5);
  assert.ok(Buffer.from(r.bytes).subarray(-3).equals(Buffer.from('abc')));
});

test('chunks cut the packet and the rest is one more delivery; bad sizes are refused', () => {
  const bytes = Uint8Array.from([1, 2, 3, 4, 5]);
  assert.deepEqual(splitChunks(bytes, [2, 1]).map((c) => Array.from(c)), [[1, 2], [3], [4, 5]]);
  assert.deepEqual(splitChunks(bytes, [5]).length, 1);
  assert.throws(() => splitChunks(bytes, [4, 4]), /more than the 5 bytes/);
  assert.throws(() => splitChunks(bytes, [0]), /positive integers/);
});

test('breakpoints snap forward to active lines and keep conditions, hit counts and log messages', () => {
  const source = '-- comment\nlocal a = 1\n\n\nlocal b = 2\n\nlocal c = 3\n';
  const snapped = snapBreakpoints([{ line: 1 }, { line: 5, condition: 'x > 1', hitCondition: '2', logMessage: 'x={x}' }, { line: 9 }], new StatementMap(buildStatementTable(source, [2, 5, 7])));
  assert.deepEqual(snapped.map((s) => s.spec?.line ?? null), [2, 5, null]);
  assert.equal(snapped[1].spec?.condition, 'x > 1');
  assert.equal(snapped[1].spec?.logMessage, 'x={x}');
  assert.match(snapped[0].message ?? '', /moved from line 1/);
});

test('hit conditions follow VS Code forms', () => {
  assert.equal(hitMatches('3', 2), false);
  assert.equal(hitMatches('3', 3), true);
  assert.equal(hitMatches('== 2', 3), false);
  assert.equal(hitMatches('% 2', 4), true);
  assert.equal(hitMatches('> 1', 1), false);
});
