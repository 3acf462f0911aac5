// Round trips: every option of every version encodes to a CONNECT the decoder reads back exactly, with a field map tiling the packet.
import assert from 'node:assert/strict';
import test from 'node:test';
import { decodeConnect } from '../../../runtime/mqtt/connectDecoder';
import { encodeConnect, type ConnectOptions } from '../../../runtime/mqtt/connectEncoder';
import type { MqttVersion } from '../../../runtime/mqtt/constants';
import { comparable, expectedPacket } from './helpers';
import { randomConnectOptions } from './generate';
import { Prng } from './prng';

const VERSIONS: readonly MqttVersion[] = ['3.1', '3.1.1', '5.0'];

function decodeOk(bytes: Uint8Array) {
  const r = decodeConnect(bytes);
  if (r.status !== 'ok') assert.fail(`expected ok, got ${r.status}: ${r.status === 'invalid' ? r.error.message : `needs ${r.needed}`}`);
  return r;
}

test('every flag combination of every version round-trips', () => {
  let cases = 0;
  for (const version of VERSIONS) {
    for (let mask = 0; mask < 32; mask++) {
      const opts: ConnectOptions = { version, clientId: `c-${version}-${mask}`, clean: (mask & 1) !== 0, keepAlive: mask * 997 };
      if (mask & 2) opts.will = { topic: 'lwt', payload: 'bye', qos: ((mask >> 2) % 3) as 0 | 1 | 2, retain: (mask & 4) !== 0 };
      if (mask & 8) opts.username = 'user';
      if (mask & 16 && (mask & 8 || version === '5.0')) opts.password = 'pw';
      if (version === '5.0' && mask & 4) opts.properties = { receiveMaximum: 20, userProperties: [['a', '1'], ['a', '2']] };
      const r = decodeOk(encodeConnect(opts));
      assert.deepEqual(comparable(r.packet), expectedPacket(opts), JSON.stringify(opts));
      cases++;
    }
  }
  assert.equal(cases, 96);
});

test('3,000 random valid CONNECTs round-trip and re-encode to the same bytes', () => {
  const rng = new Prng(0xc0ffee);
  for (let i = 0; i < 3000; i++) {
    const opts = randomConnectOptions(rng);
    const bytes = encodeConnect(opts);
    const r = decodeOk(bytes);
    assert.equal(r.length, bytes.length);
    assert.deepEqual(comparable(r.packet), expectedPacket(opts), `case ${i}`);
    const p = r.packet;
    const again = encodeConnect({
      version: p.version, clientId: p.clientIdBytes, clean: p.clean, keepAlive: p.keepAlive, properties: p.properties,
      will: p.will, username: p.username, password: p.password,
    });
    assert.deepEqual(Buffer.from(again), Buffer.from(bytes), `re-encode of case ${i}`);
  }
});

test('top-level fields tile the whole packet: no gaps, no overlaps', () => {
  const rng = new Prng(7);
  for (let i = 0; i < 500; i++) {
    const bytes = encodeConnect(randomConnectOptions(rng));
    const r = decodeOk(bytes);
    let next = 0;
    for (const f of r.fields.filter((x) => x.parent === undefined)) {
      assert.equal(f.offset, next, `field ${f.id} starts at ${f.offset}, expected ${next}`);
      assert.deepEqual(Buffer.from(f.raw), Buffer.from(bytes.subarray(f.offset, f.offset + f.length)));
      next = f.offset + f.length;
    }
    assert.equal(next, bytes.length);
  }
});

test('decoding without a field map gives the same packet and no fields', () => {
  const rng = new Prng(99);
  for (let i = 0; i < 300; i++) {
    const bytes = encodeConnect(randomConnectOptions(rng));
    const full = decodeOk(bytes);
    const lean = decodeConnect(bytes, { fieldMap: false });
    assert.equal(lean.status, 'ok');
    assert.equal(lean.fields.length, 0);
    if (lean.status === 'ok') assert.deepEqual(comparable(lean.packet), comparable(full.packet));
  }
});

test('clientId given as bytes is carried byte for byte', () => {
  const id = Uint8Array.of(0x41, 0xc3, 0xa9, 0xf0, 0x9f, 0x8c, 0xa1);
  for (const version of VERSIONS) {
    const r = decodeOk(encodeConnect({ version, clientId: id }));
    assert.deepEqual(Buffer.from(r.packet.clientIdBytes), Buffer.from(id));
    assert.equal(r.packet.clientId, 'Aé🌡');
  }
});
