// Launch packet sources: hex strings, files of raw bytes or hex text, encoder-built CONNECTs, and chunk splitting.
import test from 'node:test';
import assert from 'node:assert/strict';
import { PROTOCOLS } from '../../../runtime/protocols';
import { parseHex, resolvePacket, splitChunks } from '../../../runtime/packets/packetSource';
import type { PacketSpec } from '../../../runtime/packets/packetSpec';
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
  assert.deepEqual(Array.from(resolvePacket({ file: 'raw.bin' }, undefined, readFile, '/w', PROTOCOLS.mqtt).bytes), [0x10, 2, 0, 0]);
  assert.deepEqual(Array.from(resolvePacket({ file: '/w/hex.txt' }, undefined, readFile, '/', PROTOCOLS.mqtt).bytes), [0x10, 2, 0, 0]);
});

test('mqtt packets come from the reference encoder, 5.0 included', () => {
  const r = resolvePacket({ mqtt: { version: '5.0', clientId: 'abc', properties: { receiveMaximum: 20 } } }, undefined, readFile, '/', PROTOCOLS.mqtt);
  assert.equal(r.bytes[0], 0x10);
  assert.ok(Buffer.from(r.bytes).includes(Buffer.from('MQTT')));
  assert.equal(r.bytes[8], 5);
  assert.ok(Buffer.from(r.bytes).subarray(-3).equals(Buffer.from('abc')));
});

test('preset packets come from the protocol interface with their deliveries; no packet is the first preset', () => {
  const syslog = PROTOCOLS.syslog;
  const split = resolvePacket({ preset: 'rfc5424-split' }, undefined, readFile, '/', syslog);
  assert.equal(split.deliveries.length, 2);
  assert.match(split.description, /syslog preset "A message split across deliveries"/);
  assert.equal(resolvePacket({ preset: 'rfc5424-split' }, [5], readFile, '/', syslog).deliveries[0].length, 5, 'chunks given win over the preset\'s');
  const first = resolvePacket(undefined, undefined, readFile, '/', syslog);
  assert.deepEqual(Array.from(first.bytes), Array.from(syslog.presets()[0].bytes));
  assert.throws(() => resolvePacket({ preset: 'nope' }, undefined, readFile, '/', syslog), /syslog has no preset "nope" \(presets: rfc5424-two-and-a-half/);
});

test('encoder packets name their protocol: syslog messages, and raw has no encoder', () => {
  const r = resolvePacket({ syslog: { messages: [{ msg: 'a' }, { msg: 'b' }] } }, undefined, readFile, '/', PROTOCOLS.raw);
  assert.equal(Buffer.from(r.bytes).toString('latin1').split('\n').filter(Boolean).length, 2);
  assert.match(r.description, /^syslog RFC 5424, LF message from the encoder, \d+ bytes$/);
  assert.throws(() => resolvePacket({ raw: {} } as unknown as PacketSpec, undefined, readFile, '/', PROTOCOLS.raw), /raw TCP has no encoder; give hex, a file or a pcap/);
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
