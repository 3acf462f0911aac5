// `attach` on the real LB (examples/mqtt.lua, two mosquitto brokers, MQTT.js): the next client's CONNECT pauses at a breakpoint, its client waits, then goes where the debugger's ns.send says.
// peers: mosquitto
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { MqttClient } from 'mqtt';
import { startDebugHook, type DebugHook } from '../../runtime/debug/attachHook';
import { debugHookDir } from '../../runtime/debug/hookLocation';
import { pickByToken } from '../../runtime/lb/tokenHash';
import { attachWithBreakpoint, startHarness, type Harness } from '../unit/debug/sessionHarness';
import { endClient, MQTT_LUA, mqttConnect, startBrokers, startLb, type LbUnderTest } from './helpers/lbHarness';

const FIRST_FLIGHT_TIMEOUT_MS = 300;
const lines = readFileSync(MQTT_LUA, 'utf8').split('\n');
const CLIENT_ID_LINE = lines.findIndex((l) => /^\s*clientID = data:sub\(offset/.test(l)) + 1;
const FIRST_LINE_OF_ON_DATA = lines.findIndex((l) => /^function client\.on_data/.test(l)) + 2;
const SEND_LINE = lines.findIndex((l) => /^\s*ns\.send\(ctxt\.output/.test(l)) + 1;
const SERVICES = ['b1', 'b2'];

/** The service USER_TOKEN hashing picks for a token among the two brokers: with two, a decision shows which token it was made on. */
function ownerOf(token: string): string | null {
  return pickByToken(Buffer.from(token), SERVICES);
}

/** The service whose broker saw `clientId` connect: exactly one must have. */
function brokerThatSaw(lb: LbUnderTest, clientId: string): string {
  const saw = SERVICES.filter((id) => lb.brokerOf(id).clients.some((c) => c.clientId === clientId));
  assert.equal(saw.length, 1, `brokers that saw ${clientId}: ${saw.join(', ')}`);
  return saw[0];
}

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
  const brokers = await startBrokers(SERVICES.length);
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
    assert.equal(decision.token, 'debug-me-1');
    assert.equal(decision.service, ownerOf('debug-me-1'));
    assert.equal(brokerThatSaw(lb, 'debug-me-1'), decision.service);
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
    assert.ok(lb.decisions.some((d) => d.conn === 1 && d.token === 'debug-me-2' && d.service === ownerOf('debug-me-2')));
    assert.equal(brokerThatSaw(lb, 'debug-me-2'), ownerOf('debug-me-2'));
    assert.deepEqual(lb.resets, []);
  } finally {
    if (client) await endClient(client);
    await close();
  }
});

test('attach: the LB applies the debugger\'s ns.send: a ClientID changed while paused on ns.send sends the client to that token\'s broker', { timeout: 60_000 }, async () => {
  const { lb, hook, h, close } = await setUp();
  const id = 'debug-me-3';
  // A token the other broker owns: a decision on it can only come from the ns.send the debugger ran.
  let n = 0;
  while (ownerOf(`redirected-${n}`) === ownerOf(id)) n++;
  const redirected = `redirected-${n}`;
  let client: MqttClient | null = null;
  try {
    await attachWithBreakpoint(h, MQTT_LUA, hook.path, SEND_LINE);
    const stopped = h.dc.waitForEvent('stopped');
    const debugged = mqttConnect(lb.port, id);
    await stopped;
    assert.equal(await evaluate(h, 'clientID'), `"${id}"`);
    const st = await h.dc.stackTraceRequest({ threadId: 1 });
    const scopes = await h.dc.scopesRequest({ frameId: st.body.stackFrames[0].id });
    const locals = scopes.body.scopes.find((x) => x.name === 'Locals');
    assert.ok(locals, 'the top frame has a Locals scope');
    const set = await h.dc.setVariableRequest({ variablesReference: locals.variablesReference, name: 'clientID', value: `"${redirected}"` });
    assert.equal(set.body.value, `"${redirected}"`);
    // The ns.send call spans three lines, and Lua reports its first line again when the call runs: clear the breakpoint so one continue ends the run.
    await h.dc.setBreakpointsRequest({ source: { path: MQTT_LUA }, breakpoints: [] });
    await h.dc.continueRequest({ threadId: 1 });
    client = await debugged;
    const decision = lb.decisions.find((d) => d.conn === 1);
    assert.ok(decision);
    assert.equal(decision.token, redirected);
    assert.equal(decision.service, ownerOf(redirected));
    // The CONNECT bytes are the client's own; they went to the broker the debugger's token chose.
    assert.equal(brokerThatSaw(lb, id), ownerOf(redirected));
    assert.deepEqual(lb.resets, []);
  } finally {
    if (client) await endClient(client);
    await close();
  }
});
