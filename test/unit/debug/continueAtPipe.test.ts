// Continue on the ns.pipe line: the adapter answers the continue, then ends the run (launch), also when the LB ended the script phase meanwhile (attach).
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { startDebugHook, type DebugHookHost } from '../../../runtime/debug/attachHook';
import { debugHookDir } from '../../../runtime/debug/hookLocation';
import type { ConnectionInfo } from '../../../runtime/ns/types';
import { attachWithBreakpoint, CONNECT_311_TEST, FIXTURE, launchWithBreakpoints, REPO, startHarness, topFrame, type Harness } from './sessionHarness';

const DOCUMENTED = join(REPO, 'examples', 'mqtt-documented.lua');
const INFO: ConnectionInfo = { client: { ip: '127.0.0.1', port: 50124, localIp: '127.0.0.1', localPort: 1883 }, vserver: { name: 'mqtt_vs', params: {} } };

function pipeLine(file: string): number {
  const i = readFileSync(file, 'utf8').split('\n').findIndex((l) => /^\s*ns\.pipe\(ctxt\.input/.test(l));
  assert.ok(i >= 0, `no ns.pipe line in ${file}`);
  return i + 1;
}

/** What the client sees after a continue, in arrival order: the response must come before the run's end. */
async function continueAndRecord(h: Harness): Promise<string[]> {
  const seen: string[] = [];
  h.dc.on('terminated', () => seen.push('terminated'));
  h.dc.on('stopped', () => seen.push('stopped'));
  const terminated = h.dc.waitForEvent('terminated');
  const response = await h.dc.continueRequest({ threadId: 1 });
  assert.equal(response.success, true, `continue failed: ${response.message}`);
  seen.push('continue response');
  await terminated;
  return seen;
}

test('launch: continue on the ns.pipe line of mqtt-documented.lua (MQTT 5, no properties) succeeds, then the run ends', async () => {
  const line = pipeLine(DOCUMENTED);
  const h = await startHarness();
  try {
    const stop = await launchWithBreakpoints(h.dc, { program: DOCUMENTED, packet: { mqtt: { version: '5.0', clientId: 'sensor-1' } } }, [line]);
    assert.equal(stop.body.reason, 'breakpoint');
    assert.equal((await topFrame(h.dc)).line, line);
    const piped = new Promise<void>((resolve) => h.dc.on('output', (e: DebugProtocol.OutputEvent) => { if (e.body.output.includes('ns.pipe:')) resolve(); }));
    assert.deepEqual(await continueAndRecord(h), ['continue response', 'terminated']);
    await piped;
  } finally {
    await h.close();
  }
});

test('attach: the LB ends the script phase while the user is stopped on ns.pipe; continue still succeeds, the run ends, the LB\'s pending chunk is rejected (no hang)', async () => {
  const host: DebugHookHost = { claimForDebugger: null };
  const hook = await startDebugHook(host, join(debugHookDir(), `unit-${process.pid}-pipe.sock`));
  const h = await startHarness();
  try {
    const line = pipeLine(FIXTURE);
    await attachWithBreakpoint(h, FIXTURE, hook.path, line);
    const takeover = host.claimForDebugger?.(3, INFO);
    assert.ok(takeover, 'the waiting debugger claims the connection');
    const stopped = h.dc.waitForEvent('stopped');
    // The chunk's promise: the LB's end closes the hook socket (the adapter does not keep it half-open), which rejects it.
    const answer = takeover.deliver(Buffer.from(CONNECT_311_TEST, 'hex')).then((r) => `answered with ${r.actions.length} action(s)`, (e: Error) => `rejected: ${e.message}`);
    await stopped;
    assert.equal((await topFrame(h.dc)).line, line);
    // The LB's side of the phase ends first (its client went away); the adapter learns it while paused.
    const ended = new Promise<void>((resolve) => h.dc.on('output', (e: DebugProtocol.OutputEvent) => { if (e.body.output.includes('left the script phase')) resolve(); }));
    takeover.end('the client closed');
    await ended;
    assert.deepEqual(await continueAndRecord(h), ['continue response', 'terminated']);
    // The LB stopped waiting for this answer when it ended the phase: the chunk is rejected, not answered after the fact, and never hangs.
    let timer: NodeJS.Timeout | undefined;
    const settled = await Promise.race([
      answer,
      new Promise<string>((resolve) => { timer = setTimeout(() => resolve('still pending'), 5000); }),
    ]);
    clearTimeout(timer);
    assert.equal(settled, 'rejected: the debugger disconnected');
  } finally {
    await h.close();
    await hook.close();
  }
});
