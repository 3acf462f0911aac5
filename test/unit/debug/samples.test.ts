// The debugger on the bundled examples/mqtt.lua (5.0 with properties) and on the documented script's MQTT 5 hang; launch errors.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { InspectorState } from '../../../runtime/debug/inspectorModel';
import { inspector, launchArgs, launchWithBreakpoints, REPO, scopeValues, startHarness, stepAndWait, topFrame } from './sessionHarness';

const SAMPLE = join(REPO, 'examples', 'mqtt.lua');
const MOSQUITTO_V5 = { mqtt: { version: '5.0' as const, clientId: 'sensor-7', properties: { receiveMaximum: 20 } } };

function lineOf(file: string, pattern: RegExp): number {
  const lines = readFileSync(file, 'utf8').split('\n');
  const i = lines.findIndex((l) => pattern.test(l));
  assert.ok(i >= 0, `no line matching ${pattern} in ${file}`);
  return i + 1;
}

test('examples/mqtt.lua: a breakpoint on the ClientID line sees the MQTT 5 ClientID past the properties', async () => {
  const line = lineOf(SAMPLE, /^\s*clientID = data:sub\(/);
  const pipeLine = lineOf(SAMPLE, /^\s*ns\.pipe\(/);
  const h = await startHarness();
  try {
    const stop = await launchWithBreakpoints(h.dc, { program: SAMPLE, packet: MOSQUITTO_V5 }, [line, pipeLine]);
    assert.equal(stop.body.reason, 'breakpoint');
    assert.equal((await topFrame(h.dc)).line, line);
    const before = await scopeValues(h.dc, 'Locals');
    assert.equal(before.protocol_level, '5');
    assert.equal(before.prop_length, '3');
    assert.equal(before.clientID, 'nil');
    await stepAndWait(h.dc, () => h.dc.continueRequest({ threadId: 1 }));
    assert.equal((await topFrame(h.dc)).line, pipeLine);
    assert.equal((await scopeValues(h.dc, 'Locals')).clientID, '"sensor-7"');
    const state = await inspector(h.dc);
    assert.equal(state.script.token, 'sensor-7');
    assert.equal(state.reference.token, 'sensor-7');
    assert.equal(state.warning, null);
    assert.match((await scopeValues(h.dc, 'Decision')).service, /^broker[123] /, 'no services configured: the names protoext-lb run gives its embedded brokers');
  } finally {
    await h.close();
  }
});

test('the documented script holds a complete MQTT 5 CONNECT with properties forever, and the inspector says so', async () => {
  const h = await startHarness();
  try {
    const finalState = new Promise<InspectorState>((resolve) => {
      h.dc.on('protoext/inspector', (e: DebugProtocol.Event) => {
        const s = e.body as InspectorState;
        if (s.reason.startsWith('finished')) resolve(s);
      });
    });
    const terminated = h.dc.waitForEvent('terminated');
    await Promise.all([h.dc.configurationSequence(), h.dc.launch(launchArgs({ packet: MOSQUITTO_V5 }))]);
    const state = await finalState;
    await terminated;
    assert.match(state.warning ?? '', /still holding the data .* complete MQTT 5\.0 CONNECT/);
    assert.equal(state.reference.token, 'sensor-7');
    assert.equal(state.decision, null);
  } finally {
    await h.close();
  }
});

test('a program that does not compile fails the launch with the Lua message', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'protoext-debug-'));
  const bad = join(dir, 'bad.lua');
  writeFileSync(bad, 'function client.on_data(ctxt, payload)\n  local x = = 1\nend\n');
  const h = await startHarness();
  try {
    await assert.rejects(h.dc.launch({ program: bad }), /bad\.lua:2:.*unexpected symbol/);
  } finally {
    await h.close();
  }
});
