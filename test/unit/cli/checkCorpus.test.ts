// Corpus sources for check: the built-in corpus's expectations, corpus files (JSON cases, hex lines) and their errors.
import test from 'node:test';
import assert from 'node:assert/strict';
import { builtinCheckCases, parseCorpusFile } from '../../../runtime/cli/checkCorpus';
import { V5_HINT, sniffVersion } from '../../../runtime/protocols/mqtt/mqttCheck';
import { CliUsageError } from '../../../runtime/cli/scriptFile';
import { CAPTURED, builtinCorpus } from '../../../runtime/mqtt';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

test('the built-in corpus: every case, valid ones expecting their ClientID, malformed ones a reset, versions for the table', () => {
  const cases = builtinCheckCases();
  assert.equal(cases.length, builtinCorpus().length);
  const v5 = cases.find((c) => c.name === 'v5-mosquitto-receive-maximum')!;
  assert.deepEqual(v5.expect, { kind: 'token', version: '5.0', clientId: 'probe-mqttv5', clientIdHex: hex(Buffer.from('probe-mqttv5')), hint: V5_HINT });
  const reserved = cases.find((c) => c.name === 'reserved-flag')!;
  assert.deepEqual(reserved.expect, { kind: 'reject', code: 'reserved-flag-set', message: null });
  assert.equal(reserved.version, '3.1.1');
  assert.ok(cases.some((c) => c.version === '3.1') && cases.some((c) => c.version === '5.0'));
});

test('sniffVersion reads the protocol level of CONNECT-looking bytes only', () => {
  assert.equal(sniffVersion(CAPTURED.mosquittoV31), '3.1');
  assert.equal(sniffVersion(CAPTURED.mosquittoV311), '3.1.1');
  assert.equal(sniffVersion(CAPTURED.mosquittoV5), '5.0');
  assert.equal(sniffVersion(Uint8Array.from([0x30, 0x02, 0, 0])), null);
  assert.equal(sniffVersion(Uint8Array.from([0x10])), null);
});

test('JSON corpus: stated ClientID, stated reject, reference default, chunks, {"cases": [...]} form', () => {
  const text = JSON.stringify({ cases: [
    { name: 'v5', hex: hex(CAPTURED.mosquittoV5) },
    { name: 'stated', hex: hex(CAPTURED.mosquittoV311), clientId: 'other', chunks: [3] },
    { name: 'hexid', hex: hex(CAPTURED.mosquittoV311), clientIdHex: 'ff00' },
    { name: 'rej', hex: hex(CAPTURED.mosquittoV311), reject: true },
    { hex: '30 02 00 00' },
  ] });
  const cases = parseCorpusFile(text, 'c.json');
  assert.deepEqual(cases.map((c) => c.name), ['v5', 'stated', 'hexid', 'rej', 'case-5']);
  assert.equal(cases[0].expect.kind === 'token' && cases[0].expect.clientId, 'probe-mqttv5');
  assert.deepEqual(cases[1].chunks, [3]);
  assert.equal(cases[1].expect.kind === 'token' && cases[1].expect.clientId, 'other');
  assert.equal(cases[2].expect.kind === 'token' && cases[2].expect.clientIdHex, 'ff00');
  assert.deepEqual(cases[3].expect, { kind: 'reject', code: 'stated-in-corpus', message: null });
  assert.equal(cases[4].expect.kind === 'reject' && cases[4].expect.code, 'not-connect');
});

test('hex-line corpus: names, comments, blank lines; an incomplete flight expects a hold', () => {
  const text = `# captured\n\nv311: ${hex(CAPTURED.mosquittoV311)}\n${hex(CAPTURED.mosquittoV5.subarray(0, 8)).replace(/(..)/g, '$1 ')}\n`;
  const cases = parseCorpusFile(text, 'c.hex');
  assert.deepEqual(cases.map((c) => c.name), ['v311', 'line-4']);
  assert.equal(cases[0].expect.kind, 'token');
  assert.equal(cases[1].expect.kind, 'hold');
});

test('corpus errors name the file and the case or line', () => {
  assert.throws(() => parseCorpusFile('[{"name": "x", "hex": 5}]', 'c.json'), (e: unknown) => e instanceof CliUsageError && /c\.json: case 1 \(x\): "hex"/.test(e.message));
  assert.throws(() => parseCorpusFile('[{"hex": "1010", "chunks": [9]}]', 'c.json'), /add up to more than the 2 bytes/);
  assert.throws(() => parseCorpusFile('{"cases": 3}', 'c.json'), /expected an array of cases/);
  assert.throws(() => parseCorpusFile('[1,', 'c.json'), /c\.json: not valid JSON/);
  assert.throws(() => parseCorpusFile('10 1a\nzz top\n', 'c.hex'), /c\.hex:2: not hex bytes/);
  assert.throws(() => parseCorpusFile('# nothing\n', 'c.hex'), /c\.hex: no cases/);
});
