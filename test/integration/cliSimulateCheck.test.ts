// `node dist/cli.js simulate | check | meta` end to end: JSON for 3.1/3.1.1/5.0 and chunks, resets, the documented script's MQTT 5 failures, exit codes, corpus files.
import test, { before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CAPTURED, encodeConnect } from '../../runtime/mqtt';
import type { SimulateReport } from '../../runtime/cli/simulateCommand';
import { ensureCliBuilt, runCli } from './helpers/cliProcess';

before(() => ensureCliBuilt());

const cli = runCli;

async function simulate(args: string[]): Promise<SimulateReport> {
  const r = await cli(['simulate', ...args]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as SimulateReport;
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const MQTT_LUA = 'examples/mqtt.lua';
const DOCUMENTED = 'examples/mqtt-documented.lua';
const BROKERS = /^broker[123]$/;

test('simulate mqtt.lua on mosquitto 3.1, 3.1.1 and 5.0 first flights: send + pipe with the ClientID, a decision, the reference agrees', async () => {
  for (const [packet, version, id] of [[CAPTURED.mosquittoV31, '3.1', 'probe-mqttv31'], [CAPTURED.mosquittoV311, '3.1.1', 'probe-mqttv311'], [CAPTURED.mosquittoV5, '5.0', 'probe-mqttv5']] as const) {
    const r = await simulate(['--extension', MQTT_LUA, '--hex', hex(packet)]);
    assert.equal(r.outcome, 'send', version);
    assert.equal(r.user_token, id);
    assert.equal(r.user_session, id);
    assert.equal(r.token_hex, hex(Buffer.from(id)));
    assert.equal(r.piped, true);
    assert.equal(r.error, null);
    assert.match(r.decision!.service!, BROKERS);
    assert.equal(r.decision!.method, 'USER_TOKEN');
    assert.equal(r.decision!.persistence, 'new');
    assert.equal(r.placeholder_services, true);
    assert.deepEqual([r.reference.valid, r.reference.version, r.reference.clientId, r.reference.error], [true, version, id, null]);
    assert.equal(r.check!.agree, true);
  }
});

test('simulate with --chunks: every delivery but the last is held; --service picks among the given services', async () => {
  const r = await simulate(['--extension', MQTT_LUA, '--hex', hex(CAPTURED.mosquittoV5), '--chunks', '1,12', '--service', 'left=127.0.0.1:1', '--service', 'right=127.0.0.1:2']);
  assert.deepEqual(r.deliveries.map((d) => [d.bytes, d.held]), [[1, true], [12, true], [17, false]]);
  assert.equal(r.user_token, 'probe-mqttv5');
  assert.match(r.decision!.service!, /^(left|right)$/);
  assert.match(r.decision!.address!, /^127\.0\.0\.1:[12]$/);
  assert.deepEqual([r.services, r.placeholder_services], [['left 127.0.0.1:1', 'right 127.0.0.1:2'], false]);
});

test('simulate a PUBLISH as first packet: reset with file:line, no decision, exit 0', async () => {
  const r = await simulate(['--extension', MQTT_LUA, '--hex', '30 05 00 01 74 68 69']);
  assert.equal(r.outcome, 'reset');
  assert.match(r.error!, /^examples\/mqtt\.lua:\d+: Missing MQTT Connect packet\./);
  assert.equal(r.decision, null);
  assert.equal(r.reference.valid, false);
  assert.match(r.reference.error!, /CONNECT/);
});

test('simulate the documented script on 5.0: empty token without properties, a hold with Receive Maximum (mosquitto)', async () => {
  const bare = await simulate(['--extension', DOCUMENTED, '--hex', hex(encodeConnect({ version: '5.0', clientId: 'sensor-1' }))]);
  assert.equal(bare.outcome, 'send');
  assert.equal(bare.user_token, '');
  assert.equal(bare.reference.clientId, 'sensor-1');
  assert.equal(bare.check!.agree, false);
  assert.equal(bare.decision!.chosenBy, 'ROUNDROBIN');
  const mosquitto = await simulate(['--extension', DOCUMENTED, '--hex', hex(CAPTURED.mosquittoV5)]);
  assert.equal(mosquitto.outcome, 'hold');
  assert.equal(mosquitto.held_bytes, CAPTURED.mosquittoV5.length);
  assert.equal(mosquitto.decision, null);
});

test('simulate --packet reads raw bytes or hex text; bad arguments, unreadable files and load errors exit 2 with a message', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'protoext-sim-'));
  writeFileSync(join(dir, 'raw.bin'), CAPTURED.mosquittoV311);
  writeFileSync(join(dir, 'text.hex'), `${hex(CAPTURED.mosquittoV311)}\n`);
  for (const file of ['raw.bin', 'text.hex']) assert.equal((await simulate(['--packet', join(dir, file)])).user_token, 'probe-mqttv311');
  const noPacket = await cli(['simulate', '--extension', MQTT_LUA]);
  assert.equal(noPacket.code, 2);
  assert.match(noPacket.stderr, /give exactly one of --hex HEX, --packet FILE or --pcap FILE/);
  const missing = await cli(['simulate', '--packet', join(dir, 'nope.bin')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /cannot read .*nope\.bin: ENOENT/);
  const badChunks = await cli(['simulate', '--hex', '1000', '--chunks', '5']);
  assert.equal(badChunks.code, 2);
  assert.match(badChunks.stderr, /--chunks: sizes add up to more than the 2 bytes/);
  const syntax = await cli(['simulate', '--extension', 'examples/broken/syntax-error.lua', '--hex', '1000']);
  assert.equal(syntax.code, 2);
  assert.match(syntax.stderr, /examples\/broken\/syntax-error\.lua:\d+: /);
  const unknown = await cli(['simulate', '--bogus']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /Unknown option '--bogus'/);
});

test('check the documented script: exit 1 and a row for every valid MQTT 5.0 case', async () => {
  const r = await cli(['check', '--extension', DOCUMENTED]);
  assert.equal(r.code, 1, r.stderr);
  for (const name of ['v5-mosquitto-receive-maximum', 'v5-no-properties', 'v5-properties-all', 'v5-empty-id', 'v5-then-publish']) {
    assert.match(r.stdout, new RegExp(`^${name} \\[whole, @1-\\d+\\]\\s+5\\.0\\s`, 'm'), name);
  }
  assert.match(r.stdout, /^v5-no-properties .*send, empty user_token\s+user_token is empty but the ClientID is "sensor-1"/m);
  assert.match(r.stdout, /^v5-mosquitto-receive-maximum .*hold \(30 bytes held\)\s+holds although the whole CONNECT arrived/m);
  assert.match(r.stdout, /examples\/mqtt-documented\.lua: [\d,]+ disagreements with the reference decoder in \d+ cases \(.*MQTT 5\.0: 885 of 885/);
  const json = await cli(['check', '--extension', DOCUMENTED, '--json', '--no-splits']);
  assert.equal(json.code, 1);
  const parsed = JSON.parse(json.stdout) as { disagreements: number; splitRuns: number; rows: { case: string; version: string; whole: boolean; cuts: number[] }[] };
  assert.equal(parsed.splitRuns, 0);
  const v5 = parsed.rows.filter((row) => row.version === '5.0').map((row) => row.case);
  assert.ok(v5.includes('v5-no-properties') && v5.includes('v5-mosquitto-will-auth'), v5.join(', '));
  assert.ok(parsed.rows.every((row) => row.whole && row.cuts.length === 0));
});

test('check examples/mqtt.lua: exit 0 on the built-in corpus (every split included)', async () => {
  const r = await cli(['check', '--extension', MQTT_LUA]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^examples\/mqtt\.lua: agrees with the reference decoder on all [\d,]+ runs \(47 cases \+ [\d,]+ two-fragment splits\) over the built-in corpus$/m);
});

test('check --corpus with hex lines and JSON: the file decides; a bad corpus exits 2', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'protoext-corpus-'));
  const lines = join(dir, 'flights.hex');
  writeFileSync(lines, `# two mosquitto captures\nv311: ${hex(CAPTURED.mosquittoV311)}\nv5: ${hex(CAPTURED.mosquittoV5)}\n`);
  assert.equal((await cli(['check', '--extension', MQTT_LUA, '--corpus', lines])).code, 0);
  const documented = await cli(['check', '--extension', DOCUMENTED, '--corpus', lines]);
  assert.equal(documented.code, 1);
  assert.match(documented.stdout, /^v5 \[whole, @1-29\]\s+5\.0\s/m);
  assert.doesNotMatch(documented.stdout, /^v311/m);
  const json = join(dir, 'cases.json');
  writeFileSync(json, JSON.stringify([{ name: 'stated-wrong', hex: hex(CAPTURED.mosquittoV311), clientId: 'someone-else' }]));
  const stated = await cli(['check', '--extension', MQTT_LUA, '--corpus', json, '--no-splits']);
  assert.equal(stated.code, 1);
  assert.match(stated.stdout, /^stated-wrong\s+3\.1\.1\s+user_token "someone-else"\s+send user_token "probe-mqttv311"/m);
  writeFileSync(json, '{"cases": "no"}');
  const bad = await cli(['check', '--corpus', json]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /cases\.json: expected an array of cases/);
});

test('meta prints the LuaLS definition file, and --out writes the same text', async () => {
  const printed = await cli(['meta']);
  assert.equal(printed.code, 0);
  assert.match(printed.stdout, /^---@meta protoext\n/);
  assert.match(printed.stdout, /function ns\.send\(/);
  const out = join(mkdtempSync(join(tmpdir(), 'protoext-meta-')), 'sub', 'protoext.lua');
  const written = await cli(['meta', '--out', out]);
  assert.equal(written.code, 0);
  assert.match(written.stderr, /wrote .*protoext\.lua/);
  assert.equal(readFileSync(out, 'utf8'), printed.stdout);
});
