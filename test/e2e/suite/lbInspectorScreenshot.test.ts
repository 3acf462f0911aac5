// e2e: the first stop of a protoext session on the bundled mqtt.lua opens the CONNECT Inspector beside the source; the test reads what it shows, then saves a screenshot.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { StudioTestApi } from '../../../client/testApi';
import { ui, uiAvailable } from './harness';

const WHEN_INSPECTOR_SHOWS = 'protoext.debug.whenInspectorShows';
const WAIT_MS = 30_000;

describe('CONNECT Inspector screenshot (installed VSIX)', () => {
  it('stops after ns.send in examples/mqtt.lua on an MQTT 5.0 CONNECT: the inspector opens by itself and shows fields, offsets, ClientID and decision', async () => {
    const ext = vscode.extensions.getExtension<StudioTestApi>('protoext.protoext-studio');
    assert.ok(ext);
    const api = await ext.activate();
    const program = path.join(api.extensionPath, 'examples', 'mqtt.lua');
    assert.ok(fs.existsSync(program), `${program} is not in the VSIX`);
    const uri = vscode.Uri.file(program);
    await vscode.window.showTextDocument(uri);
    const pipe = fs.readFileSync(program, 'utf8').split('\n').findIndex((l) => /^\s*ns\.pipe\(ctxt\.input/.test(l)) + 1;
    vscode.debug.addBreakpoints([new vscode.SourceBreakpoint(new vscode.Location(uri, new vscode.Position(pipe - 1, 0)))]);
    const started = await vscode.debug.startDebugging(vscode.workspace.workspaceFolders?.[0], {
      type: 'protoext',
      request: 'launch',
      name: 'e2e: inspect an MQTT 5.0 CONNECT',
      program,
      packet: { mqtt: { version: '5.0', clientId: 'sensor-1', properties: { receiveMaximum: 20 } } },
    });
    assert.ok(started, 'the protoext debug session did not start');
    try {
      // The page itself reports the text it put on screen once it rendered this stop: the real signal, no sleep.
      const shown = (await vscode.commands.executeCommand(WHEN_INSPECTOR_SHOWS, `mqtt.lua:${pipe}`, WAIT_MS)) as string;
      assert.match(shown, /Remaining length/);
      assert.match(shown, /Properties length: 3\s+12\s/, 'the MQTT 5 property length at offset 12');
      assert.match(shown, /Receive Maximum \(0x21\): 20\s+13–15/);
      assert.match(shown, /Client ID: "sensor-1"\s+18–25/, 'the ClientID field at offsets 18-25');
      assert.match(shown, /Script extracted\s+"sensor-1"/);
      assert.match(shown, /Reference decoder\s+"sensor-1"/);
      assert.match(shown, /Service\s+broker[123] \(127\.0\.0\.1:1883[123]\)/, 'the decision over the embedded brokers\' names');
      assert.match(shown, /Decided\s+decided here, as the local LB would/);
      assert.doesNotMatch(shown, /Warning:/);
      if (uiAvailable()) {
        // Room for the picture only: the chat side bar and the Output panel are not part of what is shown.
        await vscode.commands.executeCommand('workbench.action.closeAuxiliaryBar');
        await vscode.commands.executeCommand('workbench.action.closePanel');
        const shot = await ui({ action: 'screenshot', name: 'connect-inspector' });
        assert.ok(shot.path && fs.existsSync(shot.path), 'the screenshot was not written');
      }
    } finally {
      vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
      await vscode.debug.stopDebugging();
    }
  });

  it('with protoext.debug.inspectorLocation "sidebar" the first stop reveals the inspector in Run and Debug instead', async () => {
    const ext = vscode.extensions.getExtension<StudioTestApi>('protoext.protoext-studio');
    assert.ok(ext);
    const program = path.join((await ext.activate()).extensionPath, 'examples', 'mqtt.lua');
    const settings = vscode.workspace.getConfiguration('protoext.debug');
    // No panel left from before: whatever reports the text now is the side-bar view.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('workbench.view.explorer');
    await settings.update('inspectorLocation', 'sidebar', vscode.ConfigurationTarget.Global);
    try {
      await vscode.window.showTextDocument(vscode.Uri.file(program));
      assert.ok(await vscode.debug.startDebugging(vscode.workspace.workspaceFolders?.[0], {
        type: 'protoext', request: 'launch', name: 'e2e: inspector in the side bar', program,
        packet: { mqtt: { version: '3.1.1', clientId: 'side-bar-1' } }, stopOnEntry: true,
      }));
      const shown = (await vscode.commands.executeCommand(WHEN_INSPECTOR_SHOWS, '"side-bar-1"', WAIT_MS)) as string;
      assert.match(shown, /stopped \(entry\)/);
      assert.equal(vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.label === 'CONNECT Inspector'), false, 'no editor panel was opened');
      if (uiAvailable()) await ui({ action: 'screenshot', name: 'connect-inspector-sidebar' });
    } finally {
      await vscode.debug.stopDebugging();
      await settings.update('inspectorLocation', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
