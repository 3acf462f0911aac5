// `attach` through the LB debug hook: the next live connection's client chunks are mirrored into the debug VM with the LB's own decision.
import test from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { startDebugHook, type DebugHookSource } from '../../../runtime/debug/attachHook';
import { CONNECT_311_TEST, FIXTURE, inspector, LINE, startHarness } from './sessionHarness';

test('attach stops in on_data of the next connection, delivered in the chunks the LB received', async () => {
  const lb = new EventEmitter();
  const hook = await startDebugHook(lb as unknown as DebugHookSource);
  const h = await startHarness();
  try {
    const bytes = Buffer.from(CONNECT_311_TEST, 'hex');
    // The "LB" accepts a connection once the debugger has attached (the console line says so).
    h.dc.on('output', (e: DebugProtocol.OutputEvent) => {
      if (!e.body.output.includes('waiting for its next client connection')) return;
      lb.emit('connection', { conn: 7, clientIp: '127.0.0.1', clientPort: 50123 });
      lb.emit('client-data', { conn: 7, bytes: bytes.subarray(0, 4) });
      lb.emit('client-data', { conn: 7, bytes: bytes.subarray(4) });
      lb.emit('decision', { conn: 7, service: 'mqtt_svr2', reason: 'user_token hashes to mqtt_svr2 among 2 up' });
      lb.emit('pipe', { conn: 7 });
    });
    const consoleLines: string[] = [];
    h.dc.on('output', (e: DebugProtocol.OutputEvent) => consoleLines.push(e.body.output));
    const stopped = h.dc.waitForEvent('stopped');
    const initialized = h.dc.waitForEvent('initialized');
    await h.dc.initializeRequest();
    await Promise.all([
      initialized.then(async () => {
        const r = await h.dc.setBreakpointsRequest({ source: { path: FIXTURE }, breakpoints: [{ line: LINE.firstStatement }] });
        assert.equal(r.body.breakpoints[0].verified, true);
        await h.dc.configurationDoneRequest();
      }),
      h.dc.attachRequest({ program: FIXTURE, address: `127.0.0.1:${hook.port}` } as DebugProtocol.AttachRequestArguments),
    ]);
    await stopped;
    const first = await inspector(h.dc);
    assert.equal(first.bytes.length, 4);
    assert.equal(first.deliveries, 2);
    assert.ok(consoleLines.some((l) => /live connection 7 from 127\.0\.0\.1:50123 .*chose mqtt_svr2/.test(l)));
  } finally {
    await h.close();
    hook.server.close();
  }
});

test('attach reports an LB without a debug hook clearly', async () => {
  const h = await startHarness();
  try {
    await h.dc.initializeRequest();
    await assert.rejects(h.dc.attachRequest({ program: FIXTURE, address: '127.0.0.1:1' } as DebugProtocol.AttachRequestArguments), /cannot reach the local LB debug hook/);
  } finally {
    await h.close();
  }
});
