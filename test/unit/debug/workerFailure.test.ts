// A debug VM worker that dies is an error the user sees (launch error, stderr line, session end), never an empty stack or a silent run.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { CONNECT_311_TEST, FIXTURE, startHarness } from './sessionHarness';

/** A worker script (vmWorker.js in `dir`) that answers `load` like the real one, then runs `onRun` when the run starts. */
function fakeWorkerDir(onLoad: string, onRun: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'protoext-worker-'));
  writeFileSync(join(dir, 'vmWorker.js'), `
const { workerData, parentPort, receiveMessageOnPort } = require('node:worker_threads');
const control = new Int32Array(workerData.control);
for (;;) {
  Atomics.wait(control, 0, 0, 50);
  const got = receiveMessageOnPort(workerData.port);
  if (!got) continue;
  Atomics.sub(control, 0, 1);
  if (got.message.type === 'load') { ${onLoad} }
  if (got.message.type === 'run') { ${onRun} }
}
`);
  return dir;
}

test('a worker that fails while loading fails the launch with the reason', async () => {
  const h = await startHarness(fakeWorkerDir("throw new Error('lua52.wasm is damaged');", ''));
  try {
    await assert.rejects(h.dc.launch({ program: FIXTURE, packet: CONNECT_311_TEST } as DebugProtocol.LaunchRequestArguments), /debug VM failed: lua52\.wasm is damaged/);
  } finally {
    await h.close();
  }
});

test('a worker that dies during the run ends the session with the error on stderr', async () => {
  const loaded = "parentPort.postMessage({ type: 'loaded', statements: { owner: [], bindLine: [], activeLines: [3] }, error: null });";
  const h = await startHarness(fakeWorkerDir(loaded, "throw new Error('engine fault in the line hook');"));
  try {
    const stderr: string[] = [];
    h.dc.on('output', (e: DebugProtocol.OutputEvent) => { if (e.body.category === 'stderr') stderr.push(e.body.output); });
    const terminated = h.dc.waitForEvent('terminated');
    await Promise.all([h.dc.configurationSequence(), h.dc.launch({ program: FIXTURE, packet: CONNECT_311_TEST } as DebugProtocol.LaunchRequestArguments)]);
    await terminated;
    assert.ok(stderr.some((l) => /the debug VM failed, so this session ends: engine fault in the line hook/.test(l)), stderr.join(''));
    const stack = h.dc.stackTraceRequest({ threadId: 1 });
    await assert.rejects(stack, /debug VM is gone|not running/, 'a stack trace after the crash is an error, not an empty stack');
  } finally {
    await h.close();
  }
});
