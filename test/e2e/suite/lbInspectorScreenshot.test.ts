// e2e: a protoext debug session on the bundled mqtt.lua stops on entry, the CONNECT Inspector receives its state, and the run saves a screenshot of it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { StudioTestApi } from '../../../client/testApi';
import { ui, uiAvailable } from './harness';

const INSPECTOR_EVENT = 'protoext/inspector';
const INSPECTOR_VIEW = 'protoext.connectInspector';
const SCREENSHOT_CONTAINER = 'workbench.view.extension.protoext-lb';
const LB_VIEW = 'protoext.lbView';
const STEPS = 3;

describe('CONNECT Inspector screenshot (installed VSIX)', () => {
  it('stops in client.on_data of examples/mqtt.lua on an MQTT 5.0 CONNECT and shows the inspector', async () => {
    const ext = vscode.extensions.getExtension<StudioTestApi>('protoext.protoext-studio');
    assert.ok(ext);
    const api = await ext.activate();
    const program = path.join(api.extensionPath, 'examples', 'mqtt.lua');
    assert.ok(fs.existsSync(program), `${program} is not in the VSIX`);
    await vscode.window.showTextDocument(vscode.Uri.file(program));
    // The adapter sends the inspector state at every stop: that event is the signal the session is paused with data.
    const nextInspectorEvent = () => new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => { sub.dispose(); reject(new Error('no inspector event within 30 s')); }, 30_000);
      const sub = vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
        if (e.event !== INSPECTOR_EVENT) return;
        clearTimeout(timer);
        sub.dispose();
        resolve();
      });
    });
    const inspected = nextInspectorEvent();
    const started = await vscode.debug.startDebugging(vscode.workspace.workspaceFolders?.[0], {
      type: 'protoext',
      request: 'launch',
      name: 'e2e: inspect an MQTT 5.0 CONNECT',
      program,
      packet: { mqtt: { version: '5.0', clientId: 'sensor-1', properties: { receiveMaximum: 20 } } },
      stopOnEntry: true,
    });
    assert.ok(started, 'the protoext debug session did not start');
    try {
      await inspected;
      // A few bytes into the packet, so the picture shows bytes read and the remaining-length decoding.
      for (let i = 0; i < STEPS; i++) {
        const stepped = nextInspectorEvent();
        await vscode.commands.executeCommand('protoext.stepToNextByte');
        await stepped;
      }
      if (uiAvailable()) {
        // Room for the inspector: the Run and Debug side bar leaves it a sliver, so it gets the Local MQTT LB container to itself for the picture.
        await vscode.commands.executeCommand('workbench.action.closeAuxiliaryBar');
        await vscode.commands.executeCommand('vscode.moveViews', { viewIds: [LB_VIEW], destinationId: 'workbench.view.explorer' });
        await vscode.commands.executeCommand('vscode.moveViews', { viewIds: [INSPECTOR_VIEW], destinationId: SCREENSHOT_CONTAINER });
      }
      await vscode.commands.executeCommand(`${INSPECTOR_VIEW}.focus`);
      if (uiAvailable()) {
        await ui({ action: 'waitForText', text: 'CONNECT Inspector' });
        // The webview renders in its own frame, which sends the suite no signal and the harness cannot read: give it a bounded moment.
        await new Promise((r) => setTimeout(r, 4000));
        const shot = await ui({ action: 'screenshot', name: 'connect-inspector' });
        assert.ok(shot.path && fs.existsSync(shot.path), 'the screenshot was not written');
      }
    } finally {
      await vscode.debug.stopDebugging();
      if (uiAvailable()) {
        await vscode.commands.executeCommand('vscode.moveViews', { viewIds: [INSPECTOR_VIEW], destinationId: 'workbench.view.debug' });
        await vscode.commands.executeCommand('vscode.moveViews', { viewIds: [LB_VIEW], destinationId: SCREENSHOT_CONTAINER });
      }
    }
  });
});
