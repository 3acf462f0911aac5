// Table-driven tests over the annotated byte fixtures in test/fixtures/mqtt: verdict, and which field owns each annotated line's bytes.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import test from 'node:test';
import { decodeConnect } from '../../../runtime/mqtt/connectDecoder';
import { fieldAt, findField, subFieldsOf } from '../../../runtime/mqtt/fields';

// compiled to out/test/unit/mqtt: the fixtures stay in the source tree
const FIXTURES = resolve(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'mqtt');

interface FixtureLine { offset: number; length: number; fieldId: string; text: string }
interface Fixture { name: string; bytes: Buffer; expect: string[]; lines: FixtureLine[] }

function parseFixture(name: string, text: string): Fixture {
  const bytes: number[] = [];
  const lines: FixtureLine[] = [];
  let expect: string[] = [];
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed.startsWith('# expect:')) expect = trimmed.slice('# expect:'.length).trim().split(/\s+/);
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const tokens = trimmed.split(/\s+/);
    const offset = bytes.length;
    let i = 0;
    for (; i < tokens.length; i++) {
      const m = /^([0-9a-f]{2})(?:\*(\d+))?$/i.exec(tokens[i]);
      if (!m) break;
      for (let n = 0; n < Number(m[2] ?? 1); n++) bytes.push(parseInt(m[1], 16));
    }
    assert.ok(i < tokens.length, `${name}: line without a field id: ${trimmed}`);
    lines.push({ offset, length: bytes.length - offset, fieldId: tokens[i], text: trimmed });
  }
  return { name, bytes: Buffer.from(bytes), expect, lines };
}

const fixtures = readdirSync(FIXTURES).filter((f) => f.endsWith('.txt')).sort()
  .map((f) => parseFixture(f, readFileSync(join(FIXTURES, f), 'utf8')));

test('the fixtures folder holds valid and invalid annotated packets', () => {
  assert.ok(fixtures.length >= 10, `${fixtures.length} fixtures`);
  assert.ok(fixtures.some((f) => f.expect[0] === 'ok') && fixtures.some((f) => f.expect[0] === 'invalid'));
});

for (const fx of fixtures) {
  test(`fixture ${fx.name}: verdict and field ownership of every line`, () => {
    const r = decodeConnect(fx.bytes);
    if (fx.expect[0] === 'ok') {
      if (r.status !== 'ok') assert.fail(`${r.status}: ${r.status === 'invalid' ? r.error.message : r.needed}`);
      assert.equal(r.packet.version, fx.expect[1]);
      assert.equal(r.packet.clientId, fx.expect[2] ?? '');
      assert.equal(r.length, fx.bytes.length);
    } else {
      if (r.status !== 'invalid') assert.fail(`expected invalid, got ${r.status}`);
      assert.equal(r.error.code, fx.expect[1], r.error.message);
      assert.equal(r.error.offset, Number(fx.expect[2]), r.error.message);
    }
    for (const line of fx.lines) {
      const owner = fieldAt(r.fields, line.offset);
      if (line.fieldId === '-') {
        assert.equal(owner, undefined, `${line.text}: expected no field, got ${owner?.id}`);
        continue;
      }
      assert.ok(owner, `${line.text}: no field owns offset ${line.offset}`);
      assert.equal(owner.id, line.fieldId, line.text);
      assert.equal(owner.offset, line.offset, line.text);
      assert.equal(owner.length, line.length, line.text);
    }
  });
}

test('remaining-length digits show the arithmetic: 0x8e 0x01 = 14*1 + 1*128 = 142', () => {
  const fx = fixtures.find((f) => f.name === 'v311-two-byte-remaining-length.txt');
  assert.ok(fx);
  const rl = findField(decodeConnect(fx.bytes).fields, 'fixed.remainingLength');
  assert.equal(rl?.value, 142);
  assert.deepEqual(rl?.digits, [
    { offset: 1, byte: 0x8e, digit: 14, multiplier: 1, continues: true },
    { offset: 2, byte: 0x01, digit: 1, multiplier: 128, continues: false },
  ]);
  assert.match(rl?.label ?? '', /14\*1 \+ 1\*128/);
});

test('each connect flag bit is its own sub-field of the flags byte', () => {
  const fx = fixtures.find((f) => f.name === 'v5-will-auth.txt');
  assert.ok(fx);
  const bits = subFieldsOf(decodeConnect(fx.bytes).fields, 'flags');
  const byId = Object.fromEntries(bits.map((b) => [b.id, b.value]));
  assert.deepEqual(byId, {
    'flags.username': true, 'flags.password': true, 'flags.willRetain': false, 'flags.willQos': 0,
    'flags.will': true, 'flags.cleanSession': true, 'flags.reserved': false,
  });
  assert.equal(bits.reduce((m, b) => m | (b.mask ?? 0), 0), 0xff, 'the masks cover the byte');
});

test('the MQTT 5 property length carries a note on the documented script\'s misreading', () => {
  const fx = fixtures.find((f) => f.name === 'v5-mosquitto-receive-maximum.txt');
  assert.ok(fx);
  const field = findField(decodeConnect(fx.bytes).fields, 'properties.length');
  assert.match(field?.note ?? '', /ClientID length/);
});
