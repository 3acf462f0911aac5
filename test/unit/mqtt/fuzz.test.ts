// Random and mutated buffers: the decoder never throws and always returns one of its three statuses with sane offsets.
import test from 'node:test';
import assert from 'node:assert/strict';
import { decodeConnect } from '../../../runtime/mqtt/connectDecoder';
import { encodeConnect } from '../../../runtime/mqtt/connectEncoder';
import { assertSaneResult } from './helpers';
import { randomConnectOptions } from './generate';
import { Prng } from './prng';

test('20,000 random buffers (half starting 0x10) never throw and give sane results', () => {
  const rng = new Prng(0xdecade);
  const statuses = { ok: 0, incomplete: 0, invalid: 0 };
  for (let i = 0; i < 20_000; i++) {
    const bytes = rng.bytes(rng.int(0, 80));
    if (bytes.length > 0 && rng.chance(0.5)) bytes[0] = 0x10;
    if (bytes.length > 1 && rng.chance(0.5)) bytes[1] = rng.int(0, bytes.length);
    const r = decodeConnect(bytes);
    assertSaneResult(r, bytes);
    statuses[r.status]++;
  }
  assert.ok(statuses.incomplete > 0 && statuses.invalid > 0, JSON.stringify(statuses));
});

test('20,000 mutated valid CONNECTs (byte flips, truncation, insertion) never throw', () => {
  const rng = new Prng(0xbadf00d);
  const codes = new Set<string>();
  for (let i = 0; i < 20_000; i++) {
    let bytes = Buffer.from(encodeConnect(randomConnectOptions(rng)));
    const op = rng.int(0, 2);
    if (op === 0) for (let k = rng.int(1, 4); k > 0; k--) bytes[rng.int(0, bytes.length - 1)] = rng.int(0, 255);
    if (op === 1) bytes = bytes.subarray(0, rng.int(0, bytes.length));
    if (op === 2) {
      const at = rng.int(0, bytes.length);
      bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(rng.bytes(rng.int(1, 4))), bytes.subarray(at)]);
    }
    const r = decodeConnect(bytes);
    assertSaneResult(r, bytes);
    if (r.status === 'invalid') codes.add(r.error.code);
    const lean = decodeConnect(bytes, { fieldMap: false });
    assert.equal(lean.status, r.status, 'the field map does not change the verdict');
  }
  assert.ok(codes.size >= 12, `error codes reached by mutation: ${[...codes].join(', ')}`);
});
