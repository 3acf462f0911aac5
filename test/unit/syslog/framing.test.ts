// RFC 6587 framing: LF trailer and octet counting, frame by frame, and the same messages whatever the split of the stream.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { messagesOf, twoFragmentSplits, type Frame } from '../../../runtime/protocols/protocol';
import { frameSyslog } from '../../../runtime/protocols/syslog/framing';
import { CAPTURED, builtinSyslogCorpus } from '../../../runtime/protocols/syslog/corpus';

const FIXTURES = resolve(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'syslog');
const text = (hex: string): string => Buffer.from(hex, 'hex').toString('latin1');

const FRAMES: [string, string, Frame][] = [
  ['LF-framed: up to and with the LF', '<13>1 - - - - - - a\nnext', { status: 'message', length: 20 }],
  ['LF-framed without LF yet', '<13>1 - - - - - - a', { status: 'incomplete', needed: null }],
  ['an empty line is a frame', '\n<13>', { status: 'message', length: 1 }],
  ['octet counting: MSG-LEN SP and MSG-LEN bytes, no trailer', '5 hello6 world!', { status: 'message', length: 7 }],
  ['octet counting short by 3', '5 he', { status: 'incomplete', needed: 3 }],
  ['octet counting before the SP', '12', { status: 'incomplete', needed: 1 }],
  ['octet counting: a LF inside the counted bytes is message data', '3 a\nb', { status: 'message', length: 5 }],
  ['octet count 0 is a leading zero', '0 ', { status: 'invalid', code: 'octet-count-leading-zero', error: 'RFC 6587 3.4.1: MSG-LEN is NONZERO-DIGIT *DIGIT', offset: 0 }],
];

for (const [name, input, expected] of FRAMES) {
  test(`frame: ${name}`, () => {
    assert.deepEqual(frameSyslog(Buffer.from(input, 'latin1')), expected);
  });
}

test('the captures stored as fixtures are the corpus bytes, framed into the messages logger sent', () => {
  const cases: [string, Uint8Array, string[]][] = [
    ['logger-rfc5424-lf.log', CAPTURED.rfc5424Lf, ['first line\n', 'second line\n']],
    ['logger-rfc3164-lf.log', CAPTURED.rfc3164Lf, ['bsd one\n', 'bsd two\n']],
    ['logger-rfc5424-octet-count.log', CAPTURED.rfc5424OctetCount, ['counted one', 'counted two']],
    ['logger-rfc3164-octet-count.log', CAPTURED.rfc3164OctetCount, ['bsd counted']],
    ['logger-rfc5424-structured-data.log', CAPTURED.rfc5424StructuredData, ['with structured data\n']],
  ];
  for (const [file, bytes, endings] of cases) {
    assert.deepEqual(readFileSync(resolve(FIXTURES, file)), Buffer.from(bytes), file);
    const framed = messagesOf(frameSyslog, bytes);
    assert.equal(framed.heldBytes, 0, file);
    assert.equal(framed.invalid, null, file);
    assert.deepEqual(framed.messages.map((m) => text(m).slice(-endings[framed.messages.indexOf(m)].length)), endings, file);
  }
});

/** A receiver's loop: append each delivery, cut every complete frame, keep the rest. */
function feed(deliveries: readonly Uint8Array[]): { messages: string[]; rest: number; invalid: string | null } {
  const messages: string[] = [];
  let buffer = Buffer.alloc(0);
  for (const d of deliveries) {
    buffer = Buffer.concat([buffer, d]);
    for (;;) {
      const f = frameSyslog(buffer);
      if (f.status === 'invalid') return { messages, rest: 0, invalid: f.code };
      if (f.status === 'incomplete' || buffer.length === 0) break;
      messages.push(buffer.subarray(0, f.length).toString('hex'));
      buffer = buffer.subarray(f.length);
    }
  }
  return { messages, rest: buffer.length, invalid: null };
}

test('every corpus case split at every byte frames into the same messages as the whole (and three-byte writes too)', () => {
  let runs = 0;
  for (const c of builtinSyslogCorpus()) {
    assert.equal(c.expect.kind, 'messages');
    if (c.expect.kind !== 'messages') continue;
    const whole = { messages: c.expect.messages, rest: c.expect.heldBytes, invalid: c.expect.invalid?.code ?? null };
    assert.deepEqual(feed([c.bytes]), whole, c.name);
    for (const pair of twoFragmentSplits(c.bytes)) {
      assert.deepEqual(feed(pair), whole, `${c.name} split at ${pair[0].length}`);
      runs++;
    }
    const threes: Uint8Array[] = [];
    for (let at = 0; at < c.bytes.length; at += 3) threes.push(c.bytes.subarray(at, at + 3));
    assert.deepEqual(feed(threes), whole, `${c.name} in 3-byte writes`);
  }
  assert.ok(runs > 4000, `${runs} split runs`);
});

test('the corpus holds captured LF and octet-counted traffic, a partial message to hold and broken framing to reset', () => {
  const corpus = builtinSyslogCorpus();
  const named = (n: string) => {
    const expect = corpus.find((c) => c.name === n)!.expect;
    if (expect.kind !== 'messages') throw new Error(`${n}: not a messages expectation`);
    return expect;
  };
  assert.ok(corpus.filter((c) => c.name.startsWith('logger-')).length >= 5);
  assert.deepEqual([named('partial-last-message').heldBytes, named('partial-last-message').messages.length], [20, 2]);
  assert.equal(named('octet-count-multi-line').messages.length, 1);
  assert.equal(named('octet-count-no-space').invalid?.code, 'octet-count-no-space');
  assert.equal(named('ten-lines-one-connection').messages.length, 10);
});
