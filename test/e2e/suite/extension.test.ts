// e2e: the packaged extension, installed from the VSIX, activates, registers its commands and starts its language server.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { StudioTestApi } from '../../../client/testApi';
import { harnessInfo, report, runFromPalette, ui, uiAvailable, until } from './harness';

const EXTENSION_ID = 'protoext.protoext-studio';

function extension(): vscode.Extension<StudioTestApi> {
  const ext = vscode.extensions.getExtension<StudioTestApi>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not installed`);
  return ext;
}

/** Activation has no event to wait on, so poll it, bounded. */
describe('Protocol Extension Studio (installed VSIX)', () => {
  let api: StudioTestApi;

  it('is loaded from the extensions dir it was installed into, not from the source tree', () => {
    const info = harnessInfo();
    assert.ok(info, 'the harness file .protoext-e2e.json is missing from the workspace');
    const where = fs.realpathSync(extension().extensionPath);
    assert.ok(where.startsWith(fs.realpathSync(info.extensionsDir) + path.sep), `loaded from ${where}, not from ${info.extensionsDir}`);
    assert.ok(!where.startsWith(fs.realpathSync(info.sourceDir) + path.sep), `loaded from the source tree ${where}`);
    assert.ok(fs.existsSync(path.join(where, 'dist', 'extension.js')), 'the installed copy has no dist/extension.js');
    assert.ok(!fs.existsSync(path.join(where, 'client')), 'sources were packaged into the VSIX');
  });

  it('activates when a .lua file opens and returns its test API', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'no workspace folder');
    // This file runs first (suite/index.ts), so nothing but the .lua file below can have activated the extension.
    assert.equal(extension().isActive, false, 'the extension was active before any .lua file opened');
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'hello.lua'));
    assert.equal(doc.languageId, 'lua');
    await vscode.window.showTextDocument(doc);
    await until('activation on onLanguage:lua', () => extension().isActive);
    api = extension().exports;
    assert.equal(api.apiVersion, 1);
    assert.ok(api.activationMs >= 0 && api.activationMs < 2000, `activation took ${api.activationMs} ms`);
    await report({ kind: 'note', text: `activation took ${api.activationMs.toFixed(1)} ms (activate() start to end)` });
  });

  it('registers every command its manifest contributes, under the "Protocol Extension" category', async () => {
    const contributed = (extension().packageJSON as { contributes: { commands: { command: string; category: string }[] } }).contributes.commands;
    assert.ok(contributed.length >= 3);
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const c of contributed) {
      assert.ok(registered.has(c.command), `${c.command} is contributed but not registered`);
      assert.equal(c.category, 'Protocol Extension');
    }
  });

  it('starts the language client, which reaches the running state', async () => {
    await api.whenLanguageClientRunning(30_000);
    assert.equal(api.languageClientState(), 'running');
    assert.equal(await vscode.commands.executeCommand('protoext.showLanguageServerStatus'), 'running');
  });

  it('honours protoext.trace.server: off writes no LSP traces, "messages" traces requests into the log', async () => {
    const doc = vscode.window.activeTextEditor?.document;
    assert.ok(doc && doc.languageId === 'lua', 'hello.lua is not the active editor');
    const config = () => vscode.workspace.getConfiguration('protoext');
    assert.equal(config().get('trace.server'), 'off');
    // Hover, not document symbols: VS Code caches symbols per document version, so a second request would not reach the server.
    const hover = () => vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, new vscode.Position(2, 4));
    await hover();
    assert.ok(!api.logLines().some((l) => l.includes('[lsp]')), 'LSP traces were written with tracing off');
    await config().update('trace.server', 'messages', vscode.ConfigurationTarget.Global);
    try {
      const traced = api.whenLogLine(/\[lsp\].*(Sending|Received) (request|response) 'textDocument\/hover/, 15_000);
      await hover();
      const line = await traced.catch((err: Error) => {
        throw new Error(`${err.message}; last log lines:\n${api.logLines().slice(-12).join('\n')}`);
      });
      assert.match(line, /textDocument\/hover/);
    } finally {
      await config().update('trace.server', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('runs "Show Runtime Log" from the command palette and the log channel comes up', async () => {
    const id = 'protoext.showRuntimeLog';
    const before = api.commandRuns(id);
    await runFromPalette('Protocol Extension: Show Runtime Log');
    await api.whenCommandRuns(id, before + 1, 15_000);
    assert.equal(api.commandRuns(id), before + 1, 'the palette ran the command more than once');
    if (uiAvailable()) {
      // The channel's own lines are on screen: the output panel shows our log, not just any panel.
      await ui({ action: 'waitForText', text: 'language server: running' });
      const shot = await ui({ action: 'screenshot', name: 'runtime-log-from-palette' });
      assert.ok(shot.path && fs.existsSync(shot.path), 'the screenshot was not written');
    }
  });
});
