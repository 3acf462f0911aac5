// Random and mutated syslog deliveries: the decoder and framing never throw, every field lies inside its frame, and an ok frame's length is the framing's.
import test from 'node:test';
import assert from 'node:assert/strict';
import { frameSyslog } from '../../../runtime/protocols/syslog/framing';
import { decodeSyslog } from '../../../runtime/protocols/syslog/syslogDecoder';
import { builtinSyslogCorpus } from '../../../runtime/protocols/syslog/corpus';
import { SYSLOG_ERRORS } from '../../../runtime/protocols/syslog/constants';
import type { Reading } from '../../../runtime/protocols/protocol';
import { Prng } from '../mqtt/prng';

const ALPHABET = Buffer.from('<>0123456789 -[]"\\=\nabcT:.Z+@');

function assertSane(r: Reading, bytes: Uint8Array): void {
  const frame = frameSyslog(bytes);
  if (r.status === 'ok') {
    assert.equal(frame.status, 'message');
    assert.equal(r.length, frame.status === 'message' ? frame.length : -1);
  }
  if (r.status === 'invalid') assert.equal(r.error, SYSLOG_ERRORS[r.code as keyof typeof SYSLOG_ERRORS]);
  for (const f of r.fields) assert.ok(f.offset >= 0 && f.length >= 0 && f.offset + f.length <= bytes.length, `${f.name} inside the input`);
}

test('20,000 random buffers over syslog\'s own characters never throw and stay inside the input', () => {
  const rng = new Prng(0x5157);
  const statuses = { ok: 0, incomplete: 0, invalid: 0 };
  for (let i = 0; i < 20_000; i++) {
    const bytes = Buffer.from(Array.from({ length: rng.int(0, 60) }, () => (rng.chance(0.9) ? rng.pick([...ALPHABET]) : rng.int(0, 255))));
    if (bytes.length > 0 && rng.chance(0.5)) bytes[0] = 0x3c;
    const r = decodeSyslog(bytes);
    assertSane(r, bytes);
    statuses[r.status]++;
  }
  assert.ok(statuses.incomplete > 0 && statuses.invalid > 0, JSON.stringify(statuses));
});

test('20,000 mutated corpus deliveries (byte flips, truncation, insertion) never throw', () => {
  const rng = new Prng(0x6587);
  const corpus = builtinSyslogCorpus();
  const codes = new Set<string>();
  for (let i = 0; i < 20_000; i++) {
    let bytes = Buffer.from(rng.pick(corpus).bytes);
    const op = rng.int(0, 2);
    if (op === 0) for (let k = rng.int(1, 4); k > 0; k--) bytes[rng.int(0, bytes.length - 1)] = rng.pick([...ALPHABET]);
    else if (op === 1) bytes = bytes.subarray(0, rng.int(0, bytes.length));
    else bytes = Buffer.concat([bytes.subarray(0, rng.int(0, bytes.length)), Buffer.from([rng.pick([...ALPHABET])]), bytes]);
    const r = decodeSyslog(bytes);
    assertSane(r, bytes);
    if (r.status === 'invalid') codes.add(r.code);
  }
  assert.ok(codes.size >= 6, [...codes].join(', '));
});
