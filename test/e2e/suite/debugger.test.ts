// e2e: the step debugger in the real VS Code: breakpoint on the ClientID line, step, variables over DAP, the inspector's state, and the MQTT 5 warnings of the documented script.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { StudioTestApi } from '../../../client/testApi';
import { breakpointAt, copyExample, DapEvents, INSPECTOR, lastInspector, lineOf, locals, topFrame, WAIT_MS, WHEN_INSPECTOR_SHOWS } from './debugHelpers';
import { report } from './harness';

describe('Step debugger in VS Code (installed VSIX)', () => {
  let api: StudioTestApi;
  let events: DapEvents;

  before(async () => {
    const ext = vscode.extensions.getExtension<StudioTestApi>('protoext.protoext-studio');
    assert.ok(ext);
    api = await ext.activate();
  });
  beforeEach(() => { events = new DapEvents(); });
  afterEach(async () => {
    events.dispose();
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    if (vscode.debug.activeDebugSession) await vscode.debug.stopDebugging();
  });

  it('stops on the ClientID line of examples/mqtt.lua, steps, reads offset, rem_length and clientID, and the inspector agrees', async () => {
    const uri = await copyExample(api, 'mqtt.lua', 'debug-mqtt.lua');
    const line = lineOf(uri, /^\s*clientID = data:sub\(offset/);
    // The 3-line ns.send gets a breakpoint on its first line too (set now: breakpoints added while running race the continue).
    const send = lineOf(uri, /^\s*ns\.send\(ctxt\.output, "DATA", \{data = data,$/);
    await vscode.window.showTextDocument(uri);
    breakpointAt(uri, line);
    breakpointAt(uri, send);
    const started = Date.now();
    const name = 'e2e: ClientID line';
    assert.ok(await vscode.debug.startDebugging(vscode.workspace.workspaceFolders?.[0], {
      type: 'protoext', request: 'launch', name, program: uri.fsPath,
      packet: { mqtt: { version: '3.1.1', clientId: 'e2e-sensor' } },
    }), 'the protoext debug session did not start');
    const stop = await events.next(name, 'stopped', 'stop at the ClientID breakpoint');
    report({ kind: 'note', text: `debugger: launch to first breakpoint stop ${Date.now() - started} ms` });
    assert.equal(stop.body?.reason, 'breakpoint');
    const s = stop.session;
    const frame = await topFrame(s);
    assert.equal(frame.line, line);
    assert.equal(frame.name, 'on_data');
    const before = await locals(s);
    assert.equal(before.clientID, 'nil');
    assert.ok(Number(before.offset) > 10, `offset ${before.offset} points past the variable header`);
    assert.equal(before.rem_length, String(2 + 4 + 1 + 1 + 2 + 2 + 'e2e-sensor'.length));
    const evaluated = (await s.customRequest('evaluate', { expression: 'data:sub(offset, offset + utf8_str_len - 1)', frameId: frame.id, context: 'watch' })) as { result: string };
    assert.equal(evaluated.result, '"e2e-sensor"');

    const stepStarted = Date.now();
    await s.customRequest('next', { threadId: 1 });
    await events.next(name, INSPECTOR, 'the inspector state of the first stop');
    const stepped = await events.next(name, 'stopped', 'stop after the step');
    report({ kind: 'note', text: `debugger: step round trip in VS Code ${Date.now() - stepStarted} ms` });
    assert.equal(stepped.body?.reason, 'step');
    assert.equal((await topFrame(s)).line, line + 1);
    assert.equal((await locals(s)).clientID, '"e2e-sensor"');

    await events.next(name, INSPECTOR, 'the inspector state after the step');
    const { state } = await lastInspector();
    assert.ok(state, 'the CONNECT Inspector received the adapter state');
    assert.equal(state.line, line + 1);
    assert.equal(state.reference.token, 'e2e-sensor');
    assert.equal(state.script.token, 'e2e-sensor');
    assert.equal(state.warning, null);
    assert.ok(state.reads.length > 0, 'the bytes read so far are marked');
    // The first stop opened the inspector beside the source, with no click: its page reports what it shows.
    const shown = (await vscode.commands.executeCommand(WHEN_INSPECTOR_SHOWS, `debug-mqtt.lua:${line + 1}`, WAIT_MS)) as string;
    assert.match(shown, /Script extracted\s+"e2e-sensor"/);

    // Stopped once on the 3-line ns.send, one Step Over shows the decision on the token.
    await s.customRequest('continue', { threadId: 1 });
    await events.next(name, 'stopped', 'stop on the ns.send line');
    assert.equal((await topFrame(s)).line, send);
    await s.customRequest('next', { threadId: 1 });
    await events.next(name, 'stopped', 'the stop after one Step Over from ns.send');
    assert.equal((await topFrame(s)).line, lineOf(uri, /^\s*ns\.pipe\(ctxt\.input/));
    const decision = await locals(s, 'Decision');
    assert.equal(decision.user_token, '"e2e-sensor"');
    assert.match(decision.service, /^broker[123] /);
    const terminated = events.next(name, 'terminated', 'the end of the run');
    await s.customRequest('continue', { threadId: 1 });
    await terminated;
  });

  it('examples/mqtt-documented.lua on MQTT 5: with Receive Maximum it holds forever, without properties its ClientID is empty; the inspector warns both times', async () => {
    const uri = await copyExample(api, 'mqtt-documented.lua', 'debug-documented.lua');
    const folder = vscode.workspace.workspaceFolders?.[0];
    const holding = 'e2e: documented, v5 with properties';
    assert.ok(await vscode.debug.startDebugging(folder, {
      type: 'protoext', request: 'launch', name: holding, program: uri.fsPath,
      packet: { mqtt: { version: '5.0', clientId: 'sensor-7', properties: { receiveMaximum: 20 } } },
    }));
    await events.next(holding, INSPECTOR, 'the final (holding) inspector state', (m) => String(m.body?.reason).startsWith('finished'));
    const heldEnd = await events.next(holding, 'terminated', 'the end of the holding run');
    const heldTerminatedAt = Date.now();
    const held = await lastInspector();
    assert.ok(held.state, 'the inspector got the final (holding) state');
    assert.match(held.state.warning ?? '', /still holding the data .* complete MQTT 5\.0 CONNECT/);
    assert.equal(held.state.reference.token, 'sensor-7');

    // The next launch starts at once, as a user pressing F5 again would. VS Code lets go of the holding
    // session some time after its `terminated` (possibly after the next stop): until then it can still be
    // `activeDebugSession`, so every request below goes to the session that stopped, never to the active one.
    const holdingGone = events.whenEnded(heldEnd.session, 'the holding session').then(() => Date.now() - heldTerminatedAt);
    holdingGone.catch(() => undefined); // awaited below; a failure before that point must not surface as an unhandled rejection
    // A breakpoint on the first line of the 3-line ns.send call stops once; one Step Over runs the whole call.
    const send = lineOf(uri, /^\s*ns\.send\(ctxt\.output, "DATA"/);
    const pipe = lineOf(uri, /^\s*ns\.pipe\(ctxt\.input/);
    breakpointAt(uri, send);
    const piped = 'e2e: documented, v5 without properties';
    assert.ok(await vscode.debug.startDebugging(folder, {
      type: 'protoext', request: 'launch', name: piped, program: uri.fsPath,
      packet: { mqtt: { version: '5.0', clientId: 'sensor-1' } },
    }));
    const atSend = await events.next(piped, 'stopped', 'stop on ns.send');
    const s = atSend.session;
    assert.equal((await topFrame(s)).line, send);
    await events.next(piped, INSPECTOR, 'the inspector state before ns.send');
    await s.customRequest('next', { threadId: 1 });
    const stop = await events.next(piped, 'stopped', 'the stop after one Step Over');
    const stoppedAfter = Date.now() - heldTerminatedAt;
    assert.equal(stop.body?.reason, 'step');
    assert.equal((await topFrame(s)).line, pipe, 'one Step Over leaves the 3-line call');
    await events.next(piped, INSPECTOR, 'the inspector state after ns.send');
    const active = vscode.debug.activeDebugSession;
    const activeIs = active?.id === s.id ? 'the stopped session' : active?.id === heldEnd.session.id ? 'still the holding session' : 'none';
    // Whether the holding session's end comes before or after this stop, it must not mark this live stop "ended".
    const goneAfter = await holdingGone;
    report({ kind: 'note', text: `debugger: after the holding run's terminated, the ns.pipe stop came at ${stoppedAfter} ms and VS Code let go of the holding session at ${goneAfter} ms; activeDebugSession at the stop: ${activeIs}` });
    const { state, ended } = await lastInspector();
    assert.ok(state);
    assert.equal(ended, false, 'the inspector shows a live stop: the earlier session ending does not mark it ended');
    assert.equal(state.line, pipe);
    assert.equal(state.script.from, 'user_token');
    assert.equal(state.script.token, '');
    assert.equal(state.reference.token, 'sensor-1');
    assert.ok(state.decision?.service, 'the decision made on the empty token is shown');
    assert.equal(state.decision.token, null, 'the empty ClientID the script extracted is no token at all');
    assert.match(state.warning ?? '', /ClientID mismatch: the script extracted "" .* but the packet's ClientID is "sensor-1" \(MQTT 5\.0\)/);

    const terminated = events.next(piped, 'terminated', 'the end of the run');
    await s.customRequest('continue', { threadId: 1 });
    await terminated;
    await events.whenEnded(s, 'the ns.pipe session');
    assert.equal((await lastInspector()).ended, true, 'its own end marks the inspector ended');
  });
});
