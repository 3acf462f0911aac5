// `attach` on the real LB (examples/mqtt.lua, mosquitto, MQTT.js): the next client's CONNECT pauses at a breakpoint, its client waits, then gets CONNACK.
// peers: mosquitto
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { MqttClient } from 'mqtt';
import { startDebugHook, type DebugHook } from '../../runtime/debug/attachHook';
import { debugHookDir } from '../../runtime/debug/hookLocation';
import { attachWithBreakpoint, startHarness, type Harness } from '../unit/debug/sessionHarness';
import { endClient, MQTT_LUA, mqttConnect, startBrokers, startLb, type LbUnderTest } from './helpers/lbHarness';

const FIRST_FLIGHT_TIMEOUT_MS = 300;
const lines = readFileSync(MQTT_LUA, 'utf8').split('\n');
const CLIENT_ID_LINE = lines.findIndex((l) => /^\s*clientID = data:sub\(offset/.test(l)) + 1;
const FIRST_LINE_OF_ON_DATA = lines.findIndex((l) => /^function client\.on_data/.test(l)) + 2;

async function evaluate(h: Harness, expression: string): Promise<string> {
  const st = await h.dc.stackTraceRequest({ threadId: 1 });
  const r = await h.dc.evaluateRequest({ expression, frameId: st.body.stackFrames[0].id, context: 'watch' });
  return r.body.result;
}

/** Tracks whether a client got its CONNACK yet without consuming the promise. */
function tracked(p: Promise<MqttClient>): { promise: Promise<MqttClient>; settled: () => boolean } {
  let done = false;
  const promise = p.finally(() => { done = true; });
  return { promise, settled: () => done };
}

async function setUp(): Promise<{ lb: LbUnderTest; hook: DebugHook; h: Harness; close: () => Promise<void> }> {
  const brokers = await startBrokers(1);
  const lb = await startLb(brokers, { limits: { firstFlightTimeoutMs: FIRST_FLIGHT_TIMEOUT_MS } });
  const hook = await startDebugHook(lb.proxy, join(debugHookDir(), `it-${process.pid}-${Date.now()}.sock`));
  const h = await startHarness();
  h.dc.defaultTimeout = 15_000;
  return {
    lb, hook, h,
    close: async () => {
      await h.close();
      await hook.close();
      await lb.stop();
      for (const b of brokers) await b.stop();
    },
  };
}

test('attach: the CONNECT pauses on the ClientID line while its client waits past the first-flight timeout, then gets CONNACK', { timeout: 60_000 }, async () => {
  const { lb, hook, h, close } = await setUp();
  const clients: MqttClient[] = [];
  try {
    await attachWithBreakpoint(h, MQTT_LUA, hook.path, CLIENT_ID_LINE);
    const stopped = h.dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    const debugged = tracked(mqttConnect(lb.port, 'debug-me-1'));
    const stop = await stopped;
    assert.equal(stop.body.reason, 'breakpoint');
    assert.equal(await evaluate(h, 'data:sub(offset, offset + utf8_str_len - 1)'), '"debug-me-1"');
    // Every other client stays on the engine, served while the debugger holds this one.
    clients.push(await mqttConnect(lb.port, 'bystander'));
    // A timer under test: wait past the first-flight timeout the LB would otherwise apply.
    await new Promise((r) => setTimeout(r, 2 * FIRST_FLIGHT_TIMEOUT_MS));
    assert.equal(debugged.settled(), false, 'the paused client has no CONNACK yet');
    assert.equal(lb.closes.filter((c) => c.conn === 1).length, 0, 'the first-flight timeout is suspended while the debugger holds the connection');
    const terminated = h.dc.waitForEvent('terminated');
    await h.dc.continueRequest({ threadId: 1 });
    clients.push(await debugged.promise);
    const decision = lb.decisions.find((d) => d.conn === 1);
    assert.ok(decision, 'the LB decided for the debugged connection from the debugger\'s ns.send');
    assert.equal(decision.service, 'b1');
    await terminated;
    assert.deepEqual(lb.resets, []);
  } finally {
    for (const c of clients) await endClient(c);
    await close();
  }
});

test('attach: a debugger that disconnects before the script acted hands the connection back to the engine, and the client is served', { timeout: 60_000 }, async () => {
  const { lb, hook, h, close } = await setUp();
  let client: MqttClient | null = null;
  try {
    await attachWithBreakpoint(h, MQTT_LUA, hook.path, FIRST_LINE_OF_ON_DATA);
    const stopped = h.dc.waitForEvent('stopped');
    const debugged = mqttConnect(lb.port, 'debug-me-2');
    await stopped;
    await h.dc.disconnectRequest({});
    client = await debugged;
    assert.ok(lb.decisions.some((d) => d.conn === 1 && d.service === 'b1'));
    assert.deepEqual(lb.resets, []);
  } finally {
    if (client) await endClient(client);
    await close();
  }
});
