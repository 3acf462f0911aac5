// Drives the protoext debug adapter request by request over the documented mqtt.lua: breakpoints, variables, stepping, step back, errors.
import test from 'node:test';
import assert from 'node:assert/strict';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { join } from 'node:path';
import { CONNECT_311_TEST, FIXTURE, REPO, inspector, launchArgs, launchWithBreakpoints, LINE, scopeValues, startHarness, stepAndWait, topFrame } from './sessionHarness';

test('stops on the ClientID line with offset, rem_length and clientID as read so far', async () => {
  const h = await startHarness();
  try {
    const stop = await launchWithBreakpoints(h.dc, launchArgs({ packet: CONNECT_311_TEST }), [LINE.clientIdAssign]);
    assert.equal(stop.body.reason, 'breakpoint');
    const frame = await topFrame(h.dc);
    assert.equal(frame.line, LINE.clientIdAssign);
    assert.equal(frame.source?.path, FIXTURE);
    const locals = await scopeValues(h.dc, 'Locals');
    assert.equal(locals.offset, '15');
    assert.equal(locals.rem_length, '16');
    assert.equal(locals.clientID, 'nil');
    await stepAndWait(h.dc, () => h.dc.nextRequest({ threadId: 1 }));
    const after = await scopeValues(h.dc, 'Locals');
    assert.equal(after.clientID, '"test"');
    assert.equal((await topFrame(h.dc)).line, LINE.send);
  } finally {
    await h.close();
  }
});

test('breakpoints snap to the next line with code and conditions filter stops', async () => {
  const h = await startHarness();
  try {
    const stopped = h.dc.waitForEvent('stopped');
    await Promise.all([
      h.dc.waitForEvent('initialized').then(async () => {
        const r = await h.dc.setBreakpointsRequest({ source: { path: FIXTURE }, breakpoints: [{ line: 13 }, { line: 34, condition: 'multiplier > 1' }, { line: 500 }] });
        assert.deepEqual(r.body.breakpoints.map((b) => [b.verified, b.line]), [[true, 14], [true, 34], [false, 500]]);
        await h.dc.setBreakpointsRequest({ source: { path: FIXTURE }, breakpoints: [{ line: 34, condition: 'multiplier > 1' }] });
        await h.dc.configurationDoneRequest();
      }),
      h.dc.launch(launchArgs({ packet: '10c101' + '00044d5154540402003c' + '0004' + '74657374' + '00'.repeat(184) })),
    ]);
    await stopped;
    const locals = await scopeValues(h.dc, 'Locals');
    // Only the second remaining-length byte satisfies the condition: multiplier is 128 there.
    assert.equal(locals.multiplier, '128');
    assert.equal(locals.offset, '4');
  } finally {
    await h.close();
  }
});

test('byte stepping stops after each new byte the script reads, one at a time', async () => {
  const h = await startHarness();
  try {
    const entry = await launchWithBreakpoints(h.dc, launchArgs({ packet: CONNECT_311_TEST, stopOnEntry: true }), []);
    assert.equal(entry.body.reason, 'entry');
    assert.deepEqual((await inspector(h.dc)).reads, []);
    const seen: number[][] = [];
    for (let i = 0; i < 4; i++) {
      await stepAndWait(h.dc, () => h.dc.nextRequest({ threadId: 1, granularity: 'instruction' }));
      seen.push((await inspector(h.dc)).reads);
    }
    assert.deepEqual(seen, [[0], [0, 1], [0, 1, 2], [0, 1, 2, 3]]);
    await stepAndWait(h.dc, () => h.dc.customRequest('protoext/stepToNextByte', { threadId: 1 }));
    const state = await inspector(h.dc);
    // The script skips the variable header: the next new byte is the ClientID length MSB at offset 12.
    assert.deepEqual(state.reads, [0, 1, 2, 3, 12]);
    assert.equal(state.lastRead, 12);
  } finally {
    await h.close();
  }
});

test('step back returns to the previous line with the state it had there', async () => {
  const h = await startHarness();
  try {
    await launchWithBreakpoints(h.dc, launchArgs({ packet: CONNECT_311_TEST }), [LINE.clientIdAssign]);
    await stepAndWait(h.dc, () => h.dc.nextRequest({ threadId: 1 }));
    assert.equal((await scopeValues(h.dc, 'Locals')).clientID, '"test"');
    const back = await stepAndWait(h.dc, () => h.dc.stepBackRequest({ threadId: 1 }));
    assert.equal(back.body.reason, 'step');
    assert.equal((await topFrame(h.dc)).line, LINE.clientIdAssign);
    assert.equal((await scopeValues(h.dc, 'Locals')).clientID, 'nil');
    await stepAndWait(h.dc, () => h.dc.nextRequest({ threadId: 1 }));
    await stepAndWait(h.dc, () => h.dc.reverseContinueRequest({ threadId: 1 }));
    assert.equal((await topFrame(h.dc)).line, LINE.clientIdAssign);
  } finally {
    await h.close();
  }
});

test('error() stops as an exception with its message', async () => {
  const h = await startHarness();
  try {
    const stop = await launchWithBreakpoints(h.dc, launchArgs({ packet: '3005000174657374' }), []);
    assert.equal(stop.body.reason, 'exception');
    assert.match(stop.body.text ?? '', /Missing MQTT Connect packet\./);
    const info = await h.dc.exceptionInfoRequest({ threadId: 1 });
    assert.match(info.body.description ?? '', /Missing MQTT Connect packet\./);
    assert.equal((await topFrame(h.dc)).line, 22);
    const terminated = h.dc.waitForEvent('terminated');
    await h.dc.continueRequest({ threadId: 1 });
    await terminated;
  } finally {
    await h.close();
  }
});

test('a fragmented packet stops twice in on_data, once per delivery, then sends', async () => {
  const h = await startHarness();
  try {
    const first = await launchWithBreakpoints(h.dc, launchArgs({ packet: CONNECT_311_TEST, chunks: [5] }), [LINE.firstStatement]);
    assert.equal(first.body.reason, 'breakpoint');
    let state = await inspector(h.dc);
    assert.equal(state.delivery, 0);
    assert.equal(state.bytes.length, 5);
    await stepAndWait(h.dc, () => h.dc.continueRequest({ threadId: 1 }));
    state = await inspector(h.dc);
    assert.equal(state.delivery, 1);
    assert.equal(state.bytes.length, 18);
    const terminated = h.dc.waitForEvent('terminated');
    await h.dc.continueRequest({ threadId: 1 });
    await terminated;
  } finally {
    await h.close();
  }
});

test('evaluate, setVariable, logpoints and readMemory work in the paused frame', async () => {
  const h = await startHarness();
  try {
    const logged = new Promise<string>((resolve) => {
      h.dc.on('output', (e: DebugProtocol.OutputEvent) => { if (e.body.output.includes('cid length')) resolve(e.body.output); });
    });
    const stopped = h.dc.waitForEvent('stopped');
    await Promise.all([
      h.dc.waitForEvent('initialized').then(async () => {
        await h.dc.setBreakpointsRequest({ source: { path: FIXTURE }, breakpoints: [{ line: 59, logMessage: 'cid length {utf8_str_len}' }, { line: LINE.clientIdAssign }] });
        await h.dc.configurationDoneRequest();
      }),
      h.dc.launch(launchArgs({ packet: CONNECT_311_TEST })),
    ]);
    assert.equal(await logged, 'cid length 4\n');
    await stopped;
    const frame = await topFrame(h.dc);
    const ev = await h.dc.evaluateRequest({ expression: 'offset + utf8_str_len', frameId: frame.id, context: 'watch' });
    assert.equal(ev.body.result, '19');
    const len = await h.dc.evaluateRequest({ expression: 'data:len()', frameId: frame.id, context: 'repl' });
    assert.equal(len.body.result, '18');
    const scopes = await h.dc.scopesRequest({ frameId: frame.id });
    const localsRef = scopes.body.scopes[0].variablesReference;
    const set = await h.dc.setVariableRequest({ variablesReference: localsRef, name: 'utf8_str_len', value: '2' });
    assert.equal(set.body.value, '2');
    await stepAndWait(h.dc, () => h.dc.nextRequest({ threadId: 1 }));
    assert.equal((await scopeValues(h.dc, 'Locals')).clientID, '"te"');
    const payload = await scopeValues(h.dc, 'Payload');
    assert.equal(payload.length, '18');
    const mem = (await h.dc.customRequest('readMemory', { memoryReference: 'payload', offset: 14, count: 8 })) as DebugProtocol.ReadMemoryResponse;
    assert.equal(Buffer.from(mem.body?.data ?? '', 'base64').toString('hex'), '74657374');
    assert.equal(mem.body?.unreadableBytes, 4);
  } finally {
    await h.close();
  }
});

test('after ns.send the Decision scope and the inspector show the service and persistence', async () => {
  const h = await startHarness();
  try {
    await launchWithBreakpoints(h.dc, launchArgs({ packet: CONNECT_311_TEST, services: ['127.0.0.1:1884', '127.0.0.1:1885'] }), [LINE.send + 1]);
    const decision = await scopeValues(h.dc, 'Decision');
    assert.match(decision.service, /^svc[12] \(127\.0\.0\.1:188[45]\)$/);
    assert.equal(decision.user_token, '"test"');
    assert.equal(decision.persistence, 'USERSESSION: new');
    const state = await inspector(h.dc);
    assert.equal(state.reference.token, 'test');
    assert.equal(state.script.token, 'test');
    assert.equal(state.warning, null);
  } finally {
    await h.close();
  }
});

test('the inspector warns when the script extracts another ClientID than the packet carries (MQTT 5)', async () => {
  const h = await startHarness();
  try {
    await launchWithBreakpoints(h.dc, launchArgs({ packet: { mqtt: { version: '5.0', clientId: 'sensor-1' } } }), [LINE.send, LINE.send + 1]);
    // Before ns.send the local clientID is what the script extracted: already wrong, already flagged.
    const before = await inspector(h.dc);
    assert.equal(before.script.from, 'local clientID');
    assert.equal(before.script.token, '');
    assert.match(before.warning ?? '', /ClientID mismatch: the script extracted "" \(local clientID\) but the packet's ClientID is "sensor-1" \(MQTT 5\.0\)/);
    await stepAndWait(h.dc, () => h.dc.continueRequest({ threadId: 1 }));
    const state = await inspector(h.dc);
    assert.equal(state.script.from, 'user_token');
    assert.equal(state.reference.token, 'sensor-1');
    assert.equal(state.script.token, '');
    assert.match(state.warning ?? '', /ClientID mismatch/);
    assert.ok(state.fields.some((f) => f.id === 'clientId'));
  } finally {
    await h.close();
  }
});

test('stepping into a stream method never enters the ns prelude: the next stop is the following user line', async () => {
  const h = await startHarness();
  try {
    await launchWithBreakpoints(h.dc, launchArgs({ packet: CONNECT_311_TEST }), [17]);
    assert.equal((await topFrame(h.dc)).line, 17);
    await stepAndWait(h.dc, () => h.dc.stepInRequest({ threadId: 1 }));
    const st = await h.dc.stackTraceRequest({ threadId: 1 });
    assert.equal(st.body.stackFrames[0].line, 18);
    assert.ok(st.body.stackFrames.every((f) => f.source?.path === FIXTURE));
    assert.deepEqual(st.body.stackFrames.map((f) => f.name), ['on_data']);
  } finally {
    await h.close();
  }
});

test('an endless loop is stopped by the instruction budget as an exception on its line', async () => {
  const h = await startHarness();
  try {
    const loop = join(REPO, 'test', 'unit', 'debug', 'fixtures', 'loop.lua');
    const stop = await launchWithBreakpoints(h.dc, { program: loop, packet: CONNECT_311_TEST }, []);
    assert.equal(stop.body.reason, 'exception');
    assert.match(stop.body.text ?? '', /instruction budget exhausted/);
    assert.ok([4, 5].includes((await topFrame(h.dc)).line));
  } finally {
    await h.close();
  }
});
