// Unit: the check report (Markdown table, diagnostic sentence, on_data line) and the scaffolded files.
import test from 'node:test';
import assert from 'node:assert/strict';
import { checkMarkdown, disagreementSummary, onDataLine, parseCheckJson } from '../../../client/lb/checkReportView';
import { scaffoldFiles } from '../../../client/lb/scaffoldFiles';
import { decodeConnect } from '../../../runtime/mqtt';

const json = JSON.stringify({
  extension: 'mqtt.lua', corpus: 'the built-in corpus', summary: 'mqtt.lua: 2 disagreements', cases: 2, runs: 40, splitRuns: 38, agreements: 38, disagreements: 2, casesDisagreeing: 1,
  byVersion: { '5.0': { runs: 20, disagreements: 2 }, '3.1.1': { runs: 20, disagreements: 0 } },
  rows: [{ case: 'v5-props', whole: true, cuts: [3, 4, 5], version: '5.0', expected: 'user_token "a|b"', got: 'hold (30 bytes held)', why: 'holds' }],
});

test('the Markdown table has one row per disagreement, split cuts grouped, pipes escaped', () => {
  const md = checkMarkdown(parseCheckJson(json));
  assert.match(md, /\| case \| version \| expected \| got \| why \|/);
  assert.match(md, /\| v5-props \[whole, @3-5\] \| 5\.0 \| user_token "a\\\|b" \| hold \(30 bytes held\) \| holds \|/);
});

test('the diagnostic names the versions that disagree only', () => {
  assert.equal(disagreementSummary(parseCheckJson(json)), '2 of 40 corpus runs disagree with the reference decoder (MQTT 5.0 2/20)');
});

test('the diagnostic sits on client.on_data', () => {
  assert.equal(onDataLine('local x = 1\n\nfunction client.on_data(ctxt, payload)\nend\n'), 2);
  assert.equal(onDataLine('client.on_data = function(c, p) end'), 0);
  assert.equal(onDataLine('-- nothing'), 0);
});

test('the output of a non-JSON check is refused', () => {
  assert.throws(() => parseCheckJson('{"x":1}'), /unexpected object/);
});

test('scaffolded packets are valid CONNECTs of the versions they are named after; launch.json points at them', () => {
  const files = scaffoldFiles('-- sample');
  assert.deepEqual(files.map((f) => f.path), ['mqtt.lua', 'protoext.json', '.vscode/launch.json', 'packets/connect-v311.hex', 'packets/connect-v5-properties.hex', 'packets/connect-v31.hex']);
  for (const [name, version] of [['packets/connect-v311.hex', '3.1.1'], ['packets/connect-v5-properties.hex', '5.0'], ['packets/connect-v31.hex', '3.1']] as const) {
    const hex = files.find((f) => f.path === name)?.content.replace(/\s+/g, '') ?? '';
    const r = decodeConnect(Buffer.from(hex, 'hex'));
    assert.equal(r.status, 'ok', `${name} does not decode`);
    if (r.status === 'ok') {
      assert.equal(r.packet.version, version);
      assert.equal(Buffer.from(r.packet.clientId).toString(), 'sensor-1');
    }
  }
  const launch = JSON.parse(files.find((f) => f.path === '.vscode/launch.json')?.content ?? '{}') as { configurations: { packet?: { file?: string } }[] };
  assert.ok(launch.configurations.some((c) => c.packet?.file === '${workspaceFolder}/packets/connect-v311.hex'));
  assert.equal(JSON.parse(files[1].content).extension, 'mqtt.lua');
});
