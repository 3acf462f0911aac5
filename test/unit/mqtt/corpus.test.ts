// The built-in corpus decodes as it says, and together with it every error code is exercised and every message cites a clause.
import assert from 'node:assert/strict';
import test from 'node:test';
import { decodeConnect } from '../../../runtime/mqtt/connectDecoder';
import { encodeConnect } from '../../../runtime/mqtt/connectEncoder';
import { ERROR_CODES, type ErrorCode } from '../../../runtime/mqtt/constants';
import { builtinCorpus, CAPTURED } from '../../../runtime/mqtt/corpus';
import { referenceVerdict } from '../../../runtime/mqtt/verdict';

test('every corpus case gets the expected ClientID, version and length, or the expected rejection', () => {
  const cases = builtinCorpus();
  assert.equal(new Set(cases.map((c) => c.name)).size, cases.length, 'names are unique');
  for (const c of cases) {
    const r = decodeConnect(c.bytes);
    if (c.expect.status === 'ok') {
      if (r.status !== 'ok') assert.fail(`${c.name}: ${r.status} ${r.status === 'invalid' ? r.error.message : ''}`);
      assert.equal(r.packet.clientId, c.expect.clientId, c.name);
      assert.equal(Buffer.from(r.packet.clientIdBytes).toString('hex'), c.expect.clientIdHex, c.name);
      assert.equal(r.packet.version, c.expect.version, c.name);
      assert.equal(r.length, c.expect.length, c.name);
    } else {
      if (r.status !== 'invalid') assert.fail(`${c.name}: expected ${c.expect.code}, got ${r.status}`);
      assert.equal(r.error.code, c.expect.code, `${c.name}: ${r.error.message}`);
    }
  }
});

test('the corpus covers all three versions, long ids (2- and 3-byte remaining length) and every error code', () => {
  const cases = builtinCorpus();
  const versions = new Set(cases.flatMap((c) => (c.expect.status === 'ok' ? [c.expect.version] : [])));
  assert.deepEqual([...versions].sort(), ['3.1', '3.1.1', '5.0']);
  const widths = new Set(cases.filter((c) => c.expect.status === 'ok').map((c) => {
    let i = 1;
    while (c.bytes[i] & 0x80) i++;
    return i;
  }));
  assert.ok(widths.has(1) && widths.has(2) && widths.has(3), `remaining-length widths ${[...widths].join(',')}`);
  const codes = new Set<ErrorCode>(cases.flatMap((c) => (c.expect.status === 'invalid' ? [c.expect.code] : [])));
  assert.deepEqual([...ERROR_CODES].filter((code) => !codes.has(code)), [], 'error codes without a corpus case');
});

test('rejection messages start with the clause and differ per code', () => {
  const byCode = new Map<string, string>();
  for (const c of builtinCorpus()) {
    const r = decodeConnect(c.bytes);
    if (r.status !== 'invalid') continue;
    assert.match(r.error.message, /^\[(MQTT-\d|MQTT \d)/, r.error.message);
    assert.ok(r.error.offset >= 0 && r.error.offset <= c.bytes.length);
    byCode.set(r.error.code, r.error.message);
  }
  assert.equal(new Set(byCode.values()).size, byCode.size);
});

test('the clause follows the version being decoded', () => {
  const v311 = decodeConnect(Buffer.from('100f00044d5154540422003c000362616400', 'hex'));
  const v5 = decodeConnect(Buffer.from('101000044d5154540522003c00000362616400', 'hex'));
  assert.equal(v311.status, 'invalid');
  assert.equal(v5.status, 'invalid');
  if (v311.status === 'invalid' && v5.status === 'invalid') {
    assert.equal(v311.error.code, 'will-retain-without-will');
    assert.equal(v5.error.code, 'will-retain-without-will');
    assert.match(v311.error.message, /^\[MQTT-3\.1\.2-15\]/);
    assert.match(v5.error.message, /^\[MQTT-3\.1\.2-13\]/);
  }
  const qos3 = (version: '3.1.1' | '5.0') => referenceVerdict(encodeConnect({ version, clientId: 'q', will: { topic: 't', qos: 3 } })).error ?? '';
  assert.match(qos3('3.1.1'), /^\[MQTT-3\.1\.2-14\]/);
  assert.match(qos3('5.0'), /^\[MQTT-3\.1\.2-12\]/);
});

test('referenceVerdict flattens ok, incomplete and invalid for the CLI and the debugger', () => {
  const ok = referenceVerdict(CAPTURED.mosquittoV5);
  assert.deepEqual({ s: ok.status, v: ok.version, id: ok.clientId, hex: ok.clientIdHex, len: ok.length, err: ok.error },
    { s: 'ok', v: '5.0', id: 'probe-mqttv5', hex: Buffer.from('probe-mqttv5').toString('hex'), len: 30, err: null });
  const part = referenceVerdict(CAPTURED.mosquittoV5.subarray(0, 12));
  assert.deepEqual({ s: part.status, valid: part.valid, needed: part.needed }, { s: 'incomplete', valid: false, needed: 18 });
  const bad = referenceVerdict(Buffer.from('20020000', 'hex'));
  assert.equal(bad.status, 'invalid');
  assert.equal(bad.errorCode, 'not-connect');
  assert.match(bad.error ?? '', /^\[MQTT-3\.1\.0-1\]/);
  assert.deepEqual(JSON.parse(JSON.stringify(bad)), bad, 'JSON-ready');
});
