// Unit: the check report (Markdown table, diagnostic sentence, on_data line) and the scaffolded files.
import test from 'node:test';
import assert from 'node:assert/strict';
import { checkMarkdown, disagreementSummary, onDataLine, parseCheckJson } from '../../../client/lb/checkReportView';
import { scaffoldFiles } from '../../../client/lb/scaffoldFiles';
import { applyConfigFile, defaultConfig } from '../../../runtime/cli/config';
import { PROTOCOLS } from '../../../runtime/protocols';

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

test('the scaffold writes the protocol\'s sample, its presets as packets the reference decodes, and launch.json points at them', () => {
  for (const protocol of [PROTOCOLS.mqtt, PROTOCOLS.syslog]) {
    const files = scaffoldFiles(protocol, '-- sample');
    const presets = protocol.presets();
    assert.deepEqual(files.map((f) => f.path), [protocol.defaults.extension, 'protoext.json', '.vscode/launch.json', ...presets.map((p) => `packets/${p.name}.hex`)]);
    for (const p of presets) {
      const hex = files.find((f) => f.path === `packets/${p.name}.hex`)?.content.replace(/\s+/g, '') ?? '';
      assert.equal(hex, Buffer.from(p.bytes).toString('hex'), p.name);
      const r = protocol.decode!(Buffer.from(hex, 'hex'));
      assert.equal(r.status, p.label.startsWith('Malformed') ? 'invalid' : 'ok', `${protocol.name} ${p.name}`);
    }
    const launch = JSON.parse(files.find((f) => f.path === '.vscode/launch.json')?.content ?? '{}') as { configurations: { protocol?: string; packet?: { file?: string } }[] };
    assert.ok(launch.configurations.every((c) => c.protocol === protocol.name));
    assert.ok(launch.configurations.some((c) => c.packet?.file === `\${workspaceFolder}/packets/${presets[0].name}.hex`));
    const config = JSON.parse(files[1].content);
    assert.deepEqual([config.protocol, config.extension, config.lbMethod], [protocol.name, protocol.defaults.extension, protocol.defaults.lbMethod]);
    assert.equal(applyConfigFile(defaultConfig(), config, 'protoext.json', (p) => `/w/${p}`).protocol, protocol.name, 'the runtime takes the written protoext.json');
  }
});
