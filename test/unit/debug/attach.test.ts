// `attach` through the LB's debug hook socket: the debugger runs the claimed connection's chunks and answers each with its DeliveryResult.
import test from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { startDebugHook, type DebugHookHost } from '../../../runtime/debug/attachHook';
import { debugHookDir, debugHookPath, newestDebugHook } from '../../../runtime/debug/hookLocation';
import type { ConnectionInfo } from '../../../runtime/ns/types';
import { attachWithBreakpoint, CONNECT_311_TEST, FIXTURE, inspector, LINE, startHarness } from './sessionHarness';

const INFO: ConnectionInfo = { client: { ip: '127.0.0.1', port: 50123, localIp: '127.0.0.1', localPort: 1883 }, vserver: { name: 'mqtt_vs', params: {} } };

test('attach claims the next connection: its chunks stop in on_data, and each answer is the DeliveryResult the LB applies', async () => {
  const host: DebugHookHost = { claimForDebugger: null };
  const hook = await startDebugHook(host, join(debugHookDir(), `unit-${process.pid}-a.sock`));
  const h = await startHarness();
  try {
    // Read through a function: the hook changes the field behind the compiler's back.
    const armed = () => host.claimForDebugger;
    assert.equal(armed(), null, 'no debugger waiting: the LB accept path has no claim to call');
    await attachWithBreakpoint(h, FIXTURE, hook.path, LINE.clientIdAssign);
    const claim = armed();
    assert.ok(claim, 'a waiting debugger arms the claim');
    const takeover = claim(7, INFO);
    assert.ok(takeover, 'the waiting debugger claims connection 7');
    assert.equal(armed(), null, 'one debugger, one connection: the next one stays on the engine');
    const bytes = Buffer.from(CONNECT_311_TEST, 'hex');
    const first = await takeover.deliver(bytes.subarray(0, 4));
    assert.equal(first.held, true);
    assert.deepEqual(first.actions, []);
    const stopped = h.dc.waitForEvent('stopped');
    const second = takeover.deliver(bytes.subarray(4));
    await stopped;
    const state = await inspector(h.dc);
    assert.equal(state.deliveries, 2);
    assert.equal(state.bytes.length, bytes.length, 'held bytes first, then the new ones');
    const terminated = h.dc.waitForEvent('terminated');
    await h.dc.continueRequest({ threadId: 1 });
    const result = await second;
    assert.equal(result.error, null);
    const send = result.actions.find((a) => a.kind === 'send');
    assert.ok(send && send.kind === 'send');
    assert.equal(Buffer.from(send.userToken ?? []).toString(), 'test');
    assert.deepEqual(Buffer.from(send.data), bytes);
    takeover.end('pipe');
    await terminated;
  } finally {
    await h.close();
    await hook.close();
  }
});

test('a debugger that detaches while it holds a chunk rejects that delivery, so the LB can fall back', async () => {
  const host: DebugHookHost = { claimForDebugger: null };
  const hook = await startDebugHook(host, join(debugHookDir(), `unit-${process.pid}-b.sock`));
  const h = await startHarness();
  try {
    await attachWithBreakpoint(h, FIXTURE, hook.path, LINE.firstStatement);
    const takeover = host.claimForDebugger?.(1, INFO);
    assert.ok(takeover);
    const stopped = h.dc.waitForEvent('stopped');
    const pending = takeover.deliver(Buffer.from(CONNECT_311_TEST, 'hex'));
    await stopped;
    const rejected = assert.rejects(pending, /debugger disconnected/);
    await h.dc.disconnectRequest({});
    await rejected;
  } finally {
    await h.close();
    await hook.close();
  }
});

test('without a hook argument attach finds the newest running LB socket in the private folder', async () => {
  const host: DebugHookHost = { claimForDebugger: null };
  const hook = await startDebugHook(host);
  const h = await startHarness();
  try {
    assert.equal(hook.path, debugHookPath());
    assert.equal(newestDebugHook(), hook.path);
    await attachWithBreakpoint(h, FIXTURE, undefined, LINE.clientIdAssign);
    assert.ok(host.claimForDebugger, 'the debugger attached to this process\'s hook');
  } finally {
    await h.close();
    await hook.close();
  }
});

test('attach reports a missing LB debug hook clearly', async () => {
  const h = await startHarness();
  try {
    await h.dc.initializeRequest();
    await assert.rejects(
      h.dc.attachRequest({ program: FIXTURE, hook: join(debugHookDir(), 'lb-1.sock') } as DebugProtocol.AttachRequestArguments),
      /cannot reach the local LB debug hook/,
    );
  } finally {
    await h.close();
  }
});
