// e2e: the LB's tool commands in the real VS Code: the code lens's check route on the documented script, both exports, the scaffold.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CheckOutcome } from '../../../client/lb/checkScript';
import type { StudioTestApi } from '../../../client/testApi';

describe('Local LB tools (installed VSIX)', () => {
  let api: StudioTestApi;

  before(async () => {
    const ext = vscode.extensions.getExtension<StudioTestApi>('protoext.protoext-studio');
    assert.ok(ext);
    api = await ext.activate();
  });

  it('Check Script (as the code lens calls it, with a URI string) finds the documented mqtt.lua disagreeing on MQTT 5.0', async () => {
    const documented = path.join(api.extensionPath, 'examples', 'mqtt-documented.lua');
    const outcome = await vscode.commands.executeCommand<CheckOutcome>('protoext.checkScript', vscode.Uri.file(documented).toString());
    assert.ok(outcome && outcome.disagreements > 0, `no disagreement reported: ${JSON.stringify(outcome)}`);
    assert.match(outcome.summary, /MQTT 5\.0: \d+ of \d+/);
    assert.ok(outcome.report, 'no report document opened');
    assert.match(outcome.report.getText(), /\| case \| version \| expected \| got \| why \|/);
    const [d] = vscode.languages.getDiagnostics(vscode.Uri.file(documented)).filter((x) => x.source === 'protoext-check');
    assert.ok(d, 'no protoext-check diagnostic on the script');
    assert.match(d.message, /MQTT 5\.0/);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Check Script on the bundled sample agrees everywhere', async () => {
    const sample = path.join(api.extensionPath, 'examples', 'mqtt.lua');
    const outcome = await vscode.commands.executeCommand<CheckOutcome>('protoext.checkScript', vscode.Uri.file(sample));
    assert.equal(outcome?.disagreements, 0, outcome?.summary);
  });

  it('Export HAProxy / NetScaler Configuration open the CLI export in an untitled editor', async () => {
    const haproxy = await vscode.commands.executeCommand<vscode.TextDocument>('protoext.exportHaproxy');
    assert.ok(haproxy?.isUntitled);
    assert.match(haproxy.getText(), /balance hash/);
    const netscaler = await vscode.commands.executeCommand<vscode.TextDocument>('protoext.exportNetscaler');
    assert.match(netscaler?.getText() ?? '', /add lb vserver mqtt_lb USER_TCP -lbMethod USER_TOKEN -persistenceType USERSESSION/);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('New Protocol Extension (MQTT) writes the sample, protoext.json, launch.json and the MQTT presets as packets', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'protoext-scaffold-'));
    try {
      const written = await vscode.commands.executeCommand<string[]>('protoext.newMqttExtension', vscode.Uri.file(folder), 'mqtt');
      assert.deepEqual([...(written ?? [])].sort(), ['.vscode/launch.json', 'mqtt.lua', 'packets/connect-malformed-remaining-length.hex', 'packets/connect-v31.hex', 'packets/connect-v311-fragmented.hex', 'packets/connect-v311.hex', 'packets/connect-v5-properties.hex', 'packets/connect-v5.hex', 'protoext.json']);
      assert.equal(fs.readFileSync(path.join(folder, 'mqtt.lua'), 'utf8'), fs.readFileSync(path.join(api.extensionPath, 'examples', 'mqtt.lua'), 'utf8'));
      assert.equal(vscode.window.activeTextEditor?.document.fileName, path.join(folder, 'mqtt.lua'));
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});
