// "New MQTT Protocol Extension": writes the sample script, protoext.json, launch.json and packets into the workspace, never overwriting without asking.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMMANDS } from '../commandList';
import type { CommandSpec } from '../commands';
import type { StudioContext } from '../context';
import { scaffoldFiles } from './scaffoldFiles';

async function targetFolder(arg: unknown): Promise<string | undefined> {
  if (arg instanceof vscode.Uri) return arg.fsPath;
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (folder) return folder.uri.fsPath;
  const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Create the extension here' });
  return picked?.[0]?.fsPath;
}

/** Returns the files written (relative paths). */
async function newExtension(ctx: StudioContext, arg?: unknown): Promise<string[]> {
  const folder = await targetFolder(arg);
  if (!folder) return [];
  const sample = fs.readFileSync(ctx.asAbsolutePath(path.join('examples', 'mqtt.lua')), 'utf8');
  const files = scaffoldFiles(sample);
  const existing = files.filter((f) => fs.existsSync(path.join(folder, f.path)));
  let overwrite = false;
  if (existing.length > 0) {
    const pick = await vscode.window.showWarningMessage(
      `${existing.map((f) => f.path).join(', ')} already exist${existing.length === 1 ? 's' : ''} in ${folder}.`,
      { modal: true },
      'Keep Them, Write the Others',
      'Overwrite',
    );
    if (!pick) return [];
    overwrite = pick === 'Overwrite';
  }
  const written: string[] = [];
  for (const f of files) {
    const target = path.join(folder, f.path);
    if (!overwrite && fs.existsSync(target)) continue;
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, f.content);
    written.push(f.path);
  }
  ctx.log.info(`New MQTT Protocol Extension: wrote ${written.join(', ') || 'nothing'} in ${folder}${existing.length && !overwrite ? ` (kept ${existing.map((f) => f.path).join(', ')})` : ''}`);
  if (written.includes('mqtt.lua') || existing.some((f) => f.path === 'mqtt.lua')) {
    await vscode.window.showTextDocument(vscode.Uri.file(path.join(folder, 'mqtt.lua')));
  }
  return written;
}

export function newExtensionSpec(): CommandSpec {
  return { info: COMMANDS.newExtension, run: newExtension };
}
