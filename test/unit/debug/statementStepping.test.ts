// Stepping by statement over DAP (fixtures/statements.lua): multi-line calls, table constructors, if conditions, goto loops, error().
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { CONNECT_311_TEST, REPO, scopeValues, startHarness, stepAndWait, topFrame, type Harness } from './sessionHarness';

const PROGRAM = join(REPO, 'test', 'unit', 'debug', 'fixtures', 'statements.lua');
const MARKS = Object.fromEntries(readFileSync(PROGRAM, 'utf8').split('\n').flatMap((l, i) => {
  const m = /-- @(\w+)/.exec(l);
  return m ? [[m[1], i + 1]] : [];
})) as Record<string, number>;
const NOT_A_CONNECT = '3005000174657374';

/** Launches with breakpoints on `lines`; records every stop; resolves with the verified breakpoint lines and the first stop. */
async function launch(h: Harness, lines: number[], packet = CONNECT_311_TEST): Promise<{ verified: number[]; stops: DebugProtocol.StoppedEvent[] }> {
  const stops: DebugProtocol.StoppedEvent[] = [];
  h.dc.on('stopped', (e: DebugProtocol.StoppedEvent) => stops.push(e));
  const first = h.dc.waitForEvent('stopped');
  let verified: number[] = [];
  await Promise.all([
    h.dc.waitForEvent('initialized').then(async () => {
      const r = await h.dc.setBreakpointsRequest({ source: { path: PROGRAM }, breakpoints: lines.map((line) => ({ line })) });
      verified = r.body.breakpoints.map((b) => b.line ?? 0);
      await h.dc.configurationDoneRequest();
    }),
    h.dc.launch({ program: PROGRAM, packet } as DebugProtocol.LaunchRequestArguments),
  ]);
  await first;
  return { verified, stops };
}

async function line(h: Harness): Promise<number> {
  return (await topFrame(h.dc)).line;
}

async function continueToEnd(h: Harness): Promise<void> {
  const terminated = h.dc.waitForEvent('terminated');
  await h.dc.continueRequest({ threadId: 1 });
  await terminated;
}

test('a breakpoint on the middle line of a multi-line ns.send binds to its first line and stops once; Step Over lands after the call', async () => {
  const h = await startHarness();
  try {
    const { verified, stops } = await launch(h, [MARKS.sendMiddle]);
    assert.deepEqual(verified, [MARKS.sendStart]);
    assert.equal(await line(h), MARKS.sendStart);
    assert.equal((await scopeValues(h.dc, 'Decision')).status, 'ns.send has not run yet: no load-balancing decision');
    await stepAndWait(h.dc, () => h.dc.nextRequest({ threadId: 1 }));
    assert.equal(await line(h), MARKS.afterSend);
    assert.equal((await scopeValues(h.dc, 'Decision')).user_token, '"tok"');
    await continueToEnd(h);
    assert.equal(stops.length, 2, 'one breakpoint stop and one step');
  } finally {
    await h.close();
  }
});

test('a table constructor with a call inside is one statement: Step Over passes it whole, Step In enters the callee', async () => {
  const h = await startHarness();
  try {
    const { verified } = await launch(h, [MARKS.tableMiddle]);
    assert.deepEqual(verified, [MARKS.tableStart]);
    assert.equal(await line(h), MARKS.tableStart);
    await stepAndWait(h.dc, () => h.dc.stepInRequest({ threadId: 1 }));
    const inner = await topFrame(h.dc);
    assert.equal(inner.line, MARKS.twiceBody);
    assert.equal(inner.name, 'twice');
    await stepAndWait(h.dc, () => h.dc.stepOutRequest({ threadId: 1 }));
    const back = await topFrame(h.dc);
    assert.equal(back.name, 'on_data');
    assert.ok(back.line >= MARKS.tableStart && back.line < MARKS.afterTable, `step out returns into the constructor (line ${back.line})`);
    await stepAndWait(h.dc, () => h.dc.nextRequest({ threadId: 1 }));
    assert.equal(await line(h), MARKS.afterTable, 'the rest of the constructor is not a stop');
    assert.match((await scopeValues(h.dc, 'Locals')).t, /^table: /, 'the constructor ran to its end');
  } finally {
    await h.close();
  }
});

test('Step Over from a multi-line table constructor stops at the next statement', async () => {
  const h = await startHarness();
  try {
    await launch(h, [MARKS.tableStart]);
    await stepAndWait(h.dc, () => h.dc.nextRequest({ threadId: 1 }));
    assert.equal(await line(h), MARKS.afterTable);
  } finally {
    await h.close();
  }
});

test('a goto loop stops at its body once per round', async () => {
  const h = await startHarness();
  try {
    const { stops } = await launch(h, [MARKS.gotoBody]);
    const seen = [(await scopeValues(h.dc, 'Locals')).n];
    for (let i = 0; i < 2; i++) {
      await stepAndWait(h.dc, () => h.dc.continueRequest({ threadId: 1 }));
      assert.equal(await line(h), MARKS.gotoBody);
      seen.push((await scopeValues(h.dc, 'Locals')).n);
    }
    assert.deepEqual(seen, ['0', '1', '2']);
    await continueToEnd(h);
    assert.equal(stops.length, 3);
  } finally {
    await h.close();
  }
});

test('an if condition over two lines stops once, and Step Over goes into the taken branch', async () => {
  const h = await startHarness();
  try {
    const { verified, stops } = await launch(h, [MARKS.ifMiddle]);
    assert.deepEqual(verified, [MARKS.ifStart]);
    assert.equal(await line(h), MARKS.ifStart);
    await stepAndWait(h.dc, () => h.dc.nextRequest({ threadId: 1 }));
    assert.equal(await line(h), MARKS.ifBody);
    await continueToEnd(h);
    assert.equal(stops.length, 2);
  } finally {
    await h.close();
  }
});

test('error() spanning lines: one breakpoint stop, then Step Over stops at the error as an exception', async () => {
  const h = await startHarness();
  try {
    const { verified, stops } = await launch(h, [MARKS.errorMiddle], NOT_A_CONNECT);
    assert.deepEqual(verified, [MARKS.errorStart]);
    assert.equal(stops[0].body.reason, 'breakpoint');
    assert.equal(await line(h), MARKS.errorStart);
    const thrown = await stepAndWait(h.dc, () => h.dc.nextRequest({ threadId: 1 }));
    assert.equal(thrown.body.reason, 'exception');
    assert.match(thrown.body.text ?? '', /not a CONNECT/);
    await continueToEnd(h);
    assert.equal(stops.length, 2);
  } finally {
    await h.close();
  }
});
