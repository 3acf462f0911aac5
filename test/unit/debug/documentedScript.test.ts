// The "done when" over DAP on examples/mqtt-documented.lua: the ClientID line's offset and length, then one Step Over from the 3-line ns.send shows the decision.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pickByToken } from '../../../runtime/lb/tokenHash';
import { PLACEHOLDER_SERVICES } from '../../../runtime/cli/simulateServices';
import { launchWithBreakpoints, REPO, scopeValues, startHarness, stepAndWait, topFrame } from './sessionHarness';

const DOCUMENTED = join(REPO, 'examples', 'mqtt-documented.lua');
const LINES = readFileSync(DOCUMENTED, 'utf8').split('\n');
const lineOf = (pattern: RegExp): number => LINES.findIndex((l) => pattern.test(l)) + 1;
const CLIENT_ID_LINE = lineOf(/^\s*clientID = data:sub\(offset/);
const SEND_LINE = lineOf(/^\s*ns\.send\(ctxt\.output, "DATA", \{data = data,$/);
const PIPE_LINE = lineOf(/^\s*ns\.pipe\(ctxt\.input/);
/** 11 bytes: on a 3.1.1 CONNECT the ClientID starts at Lua offset 15 (2 fixed + 10 variable header + 2 length bytes + 1). */
const CLIENT_ID = 'sensor-0042';

test('documented mqtt.lua: ClientID line with offset 15 and length 11, continue to ns.send, one next shows the decision on the ClientID', async () => {
  assert.ok(CLIENT_ID_LINE > 0 && SEND_LINE > CLIENT_ID_LINE && PIPE_LINE > SEND_LINE + 2, 'the documented script has its 3-line ns.send');
  const h = await startHarness();
  try {
    const stop = await launchWithBreakpoints(h.dc, { program: DOCUMENTED, packet: { mqtt: { version: '3.1.1', clientId: CLIENT_ID } } }, [CLIENT_ID_LINE, SEND_LINE]);
    assert.equal(stop.body.reason, 'breakpoint');
    assert.equal((await topFrame(h.dc)).line, CLIENT_ID_LINE);
    const locals = await scopeValues(h.dc, 'Locals');
    assert.equal(locals.offset, '15');
    assert.equal(locals.utf8_str_len, '11');

    await stepAndWait(h.dc, () => h.dc.continueRequest({ threadId: 1 }));
    assert.equal((await topFrame(h.dc)).line, SEND_LINE);
    assert.match((await scopeValues(h.dc, 'Decision')).status, /ns\.send has not run yet/);

    const stepped = await stepAndWait(h.dc, () => h.dc.nextRequest({ threadId: 1 }));
    assert.equal(stepped.body.reason, 'step');
    assert.equal((await topFrame(h.dc)).line, PIPE_LINE, 'one Step Over leaves the whole 3-line call');
    const decision = await scopeValues(h.dc, 'Decision');
    assert.equal(decision.user_token, JSON.stringify(CLIENT_ID));
    assert.equal(decision.user_session, JSON.stringify(CLIENT_ID));
    // No services configured: the embedded brokers protoext-lb run would start, by their names.
    const expected = pickByToken(Buffer.from(CLIENT_ID), PLACEHOLDER_SERVICES.map((s) => s.id));
    assert.match(decision.service, new RegExp(`^${expected} `));
    assert.match(decision.decided, /embedded backends the local LB starts .*broker1, broker2, broker3/);
  } finally {
    await h.close();
  }
});
