// e2e: syslog end to end in the real VS Code: scaffold from the palette, the local LB with logger --tcp clients (one decision per message, counted per service), a 2.5-message debug run; screenshots.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { StudioTestApi } from '../../../client/testApi';
import { breakpointAt, DapEvents, lastInspector, lineOf, locals, topFrame, WAIT_MS, WHEN_INSPECTOR_SHOWS } from './debugHelpers';
import { report, runFromPalette, ui, uiAvailable, until } from './harness';

/** util-linux logger: the lines of `text` as RFC 5424 messages on one TCP connection, LF-framed (what a real syslog client sends). */
function logger(port: number, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('logger', ['--tcp', '-n', '127.0.0.1', '-P', String(port), '-t', 'e2e'], { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`logger exited with ${code}: ${stderr}`))));
    child.stdin.end(text);
  });
}

describe('syslog: scaffold, local LB and debugger (installed VSIX)', () => {
  let api: StudioTestApi;
  let folder: vscode.WorkspaceFolder;
  const inWorkspace = (...p: string[]) => path.join(folder.uri.fsPath, ...p);

  before(async () => {
    const ext = vscode.extensions.getExtension<StudioTestApi>('protoext.protoext-studio');
    assert.ok(ext);
    api = await ext.activate();
    const f = vscode.workspace.workspaceFolders?.[0];
    assert.ok(f, 'no workspace folder');
    folder = f;
    assert.equal(fs.existsSync(inWorkspace('protoext.json')), false, 'the workspace starts without a protoext.json');
  });

  after(async () => {
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    if (vscode.debug.activeDebugSession) await vscode.debug.stopDebugging();
    if (api.lbStatus().kind === 'running') await vscode.commands.executeCommand('protoext.stopLb');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // What the scaffold wrote goes, so the workspace is as the other suites expect it.
    for (const p of ['syslog.lua', 'protoext.json', '.vscode', 'packets']) fs.rmSync(inWorkspace(p), { recursive: true, force: true });
  });

  it('scaffolds from the palette ("New Protocol Extension", pick syslog): its sample, protoext.json, launch.json, packets; the lenses name syslog', async () => {
    if (uiAvailable()) {
      await runFromPalette('Protocol Extension: New Protocol Extension');
      await ui({ action: 'waitForText', text: 'New Protocol Extension: which protocol?' });
      await ui({ action: 'type', text: 'syslog' });
      await ui({ action: 'keys', keys: ['Enter'] });
    } else {
      await vscode.commands.executeCommand('protoext.newMqttExtension', undefined, 'syslog');
    }
    await until('the scaffolded files', () => ['syslog.lua', 'protoext.json', '.vscode/launch.json', 'packets/rfc5424-two-and-a-half.hex'].every((p) => fs.existsSync(inWorkspace(p))));
    assert.equal(fs.readFileSync(inWorkspace('syslog.lua'), 'utf8'), fs.readFileSync(path.join(api.extensionPath, 'examples', 'syslog.lua'), 'utf8'));
    const config = JSON.parse(fs.readFileSync(inWorkspace('protoext.json'), 'utf8')) as Record<string, unknown>;
    assert.deepEqual([config.protocol, config.extension, config.lbMethod], ['syslog', 'syslog.lua', 'ROUNDROBIN']);
    // An ephemeral port instead of 1514: parallel runs on this machine must not fight over it.
    fs.writeFileSync(inWorkspace('protoext.json'), JSON.stringify({ ...config, listen: '127.0.0.1:0' }, null, 2));
    const uri = vscode.Uri.file(inWorkspace('syslog.lua'));
    // The files are on disk before the scaffold's editor has opened them; the lens command needs the document loaded
    // ("Illegal argument" otherwise, seen once under CI).
    await vscode.workspace.openTextDocument(uri);
    await until('the lenses of the syslog workspace', async () => {
      const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
      const titles = lenses.map((l) => l.command?.title);
      return titles.includes('Debug first flight (syslog)') && titles.includes('Check against syslog corpus');
    });
  });

  it('Start Local LB runs it; logger --tcp lines get one decision each, round robin; the view counts messages per service', async () => {
    await runFromPalette('Protocol Extension: Start Local LB');
    const status = await api.whenLbStatus('running', 90_000).catch((err: Error) => {
      throw new Error(`${err.message}; last log lines:\n${api.logLines().slice(-15).join('\n')}`);
    });
    assert.ok(status.kind === 'running');
    await until('three syslog services up in the status bar', () => /^\$\(radio-tower\) syslog LB 127\.0\.0\.1:\d+ · 3\/3 up/.test(api.lbStatusBarText()), 30_000);
    const port = Number(status.listen.slice(status.listen.lastIndexOf(':') + 1));
    const before = api.lbDecisions().length;
    await logger(port, 'e2e one\ne2e two\ne2e three\n');
    await until('three decisions, one per message', () => api.lbDecisions().length - before >= 3, 10_000);
    const decisions = api.lbDecisions().slice(before);
    assert.equal(new Set(decisions.map((d) => d.conn)).size, 1, 'the three messages came on one connection');
    assert.deepEqual(decisions.map((d) => d.service).sort(), ['syslog1', 'syslog2', 'syslog3'], 'round robin: each message to the next service');
    const services = () => api.lbTreeItems().find((n) => n.label === 'Services');
    await until('one message per service in the view', () => (services()?.children ?? []).length === 3 && (services()?.children ?? []).every((c) => /^1 message · /.test(c.description ?? '')), 10_000);
    assert.match(services()?.description ?? '', /^syslog · ROUNDROBIN on /);
    const recent = api.lbTreeItems().find((n) => n.label === 'Recent decisions')?.children?.map((c) => c.label) ?? [];
    for (const n of [1, 2, 3]) assert.ok(recent.some((l) => new RegExp(`^#${decisions[0].conn} message ${n} -> syslog[123]$`).test(l)), `message ${n} in ${recent.join(', ')}`);
    await report({ kind: 'note', text: `syslog LB decisions: ${decisions.map((d) => d.service).join(', ')}` });
    if (uiAvailable()) {
      await vscode.commands.executeCommand('workbench.action.closePanel');
      await vscode.commands.executeCommand('protoext.lbView.focus');
      // A wider side bar, so the per-service counts and decisions read whole in the picture: the editor (which keeps
      // the focus) gives up the width.
      for (let i = 0; i < 8; i++) await vscode.commands.executeCommand('workbench.action.decreaseViewWidth');
      await ui({ action: 'waitForText', text: 'syslog · ROUNDROBIN' });
      await ui({ action: 'screenshot', name: 'syslog-lb-view' });
    }
    await vscode.commands.executeCommand('protoext.stopLb');
  });

  it('debugs a 2.5-message first flight: one stop per message at ns.send with it in Locals, syslog fields in the inspector, no error stop', async () => {
    const uri = vscode.Uri.file(inWorkspace('syslog.lua'));
    const send = lineOf(uri, /^\s*ns\.send\(ctxt\.output, "EOM", \{data = message\}\)/);
    await vscode.window.showTextDocument(uri);
    breakpointAt(uri, send);
    const events = new DapEvents();
    const stops: string[] = [];
    const stopReasons = vscode.debug.registerDebugAdapterTrackerFactory('protoext', {
      createDebugAdapterTracker: () => ({ onDidSendMessage: (m: { type: string; event?: string; body?: { reason?: string } }) => { if (m.type === 'event' && m.event === 'stopped') stops.push(m.body?.reason ?? ''); } }),
    });
    try {
      // The scaffold's own launch configuration (protocol syslog, the preset's packet file).
      const name = 'Debug 2.5 messages in one delivery';
      assert.ok(await vscode.debug.startDebugging(folder, name), 'the protoext debug session did not start');
      // The scaffold's configurations stop on entry first (the first line of client.on_data).
      const entry = await events.next(name, 'stopped', 'the entry stop');
      assert.equal(entry.body?.reason, 'entry');
      await entry.session.customRequest('continue', { threadId: 1 });
      const expected = ['first message', 'second message'];
      for (const [i, text] of expected.entries()) {
        const stop = await events.next(name, 'stopped', `stop ${i + 1} at ns.send`);
        assert.equal(stop.body?.reason, 'breakpoint');
        const s = stop.session;
        assert.equal((await topFrame(s)).line, send);
        assert.match((await locals(s)).message, new RegExp(`${text}\\\\n" \\(ns\\.tcp\\.stream, \\d+ bytes\\)$`), `message ${i + 1} in Locals`);
        assert.ok(Number((await locals(s, 'Payload')).length) > 0, 'a Payload scope');
        const shown = (await vscode.commands.executeCommand(WHEN_INSPECTOR_SHOWS, i === 0 ? `syslog.lua:${send}` : 'Messages sent (1)', WAIT_MS)) as string;
        assert.match(shown, /Fields \(syslog reference decoder: 2 messages, then \d+ byte\(s\) of an incomplete one\)/);
        assert.match(shown, /#1 HOSTNAME\s+\d+–\d+\s+host/);
        assert.match(shown, /#2 MSG\s+\d+–\d+\s+second message/);
        assert.doesNotMatch(shown, /ClientID/);
        if (i === 1 && uiAvailable()) {
          await vscode.commands.executeCommand('workbench.action.closeAuxiliaryBar');
          await vscode.commands.executeCommand('workbench.action.closePanel');
          await ui({ action: 'screenshot', name: 'syslog-inspector' });
        }
        await s.customRequest('continue', { threadId: 1 });
      }
      await events.next(name, 'terminated', 'the end of the run (the half message held)');
      const { state } = await lastInspector();
      assert.equal(state?.protocol.name, 'syslog');
      assert.deepEqual(state?.sent.map((m) => m.service === null ? 'pending' : 'decided'), ['decided']);
      assert.deepEqual(stops, ['entry', 'breakpoint', 'breakpoint'], 'one stop per whole message, no error stop');
    } finally {
      events.dispose();
      stopReasons.dispose();
      vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    }
  });
});
