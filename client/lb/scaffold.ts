// "New Protocol Extension": picks a protocol, writes its sample script, protoext.json, launch.json and packets into the workspace, never overwriting without asking.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMMANDS } from '../commandList';
import type { CommandSpec } from '../commands';
import type { StudioContext } from '../context';
import { parseProtocolName, PROTOCOL_NAMES, protocolByName, type Protocol } from '../../runtime/protocols';
import { scaffoldFiles } from './scaffoldFiles';

/** The protocols with a bundled sample to start from; the argument (tests, keybindings) or a pick chooses. */
async function pickProtocol(ctx: StudioContext, arg: unknown): Promise<Protocol | undefined> {
  const withSample = PROTOCOL_NAMES.map(protocolByName).filter((p) => fs.existsSync(ctx.asAbsolutePath(path.join('examples', p.defaults.extension))));
  const named = typeof arg === 'string' ? parseProtocolName(arg) : null;
  if (named !== null) {
    const p = withSample.find((x) => x.name === named);
    if (!p) throw new Error(`no bundled sample for ${arg} (samples: ${withSample.map((x) => x.name).join(', ')})`);
    return p;
  }
  const pick = await vscode.window.showQuickPick(
    withSample.map((p) => ({
      label: p.title,
      description: p.defaults.extension,
      detail: p.balancing === 'message' ? `one load-balancing decision per ${p.unitName} (${p.defaults.lbMethod})` : `one decision per connection from its ${p.unitName} (${p.defaults.lbMethod}, ${p.defaults.persistence})`,
      protocol: p,
    })),
    { title: 'New Protocol Extension: which protocol?', placeHolder: 'The sample script, protoext.json and test packets follow the protocol' },
  );
  return pick?.protocol;
}

async function targetFolder(arg: unknown): Promise<string | undefined> {
  if (arg instanceof vscode.Uri) return arg.fsPath;
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (folder) return folder.uri.fsPath;
  const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Create the extension here' });
  return picked?.[0]?.fsPath;
}

/** Returns the files written (relative paths). Arguments (optional): the folder's Uri, the protocol's name. */
async function newExtension(ctx: StudioContext, arg?: unknown, protocolArg?: unknown): Promise<string[]> {
  const protocol = await pickProtocol(ctx, protocolArg);
  if (!protocol) return [];
  const folder = await targetFolder(arg);
  if (!folder) return [];
  const script = protocol.defaults.extension;
  const sample = fs.readFileSync(ctx.asAbsolutePath(path.join('examples', script)), 'utf8');
  const files = scaffoldFiles(protocol, sample);
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
  ctx.log.info(`New Protocol Extension (${protocol.title}): wrote ${written.join(', ') || 'nothing'} in ${folder}${existing.length && !overwrite ? ` (kept ${existing.map((f) => f.path).join(', ')})` : ''}`);
  if (written.includes(script) || existing.some((f) => f.path === script)) {
    await vscode.window.showTextDocument(vscode.Uri.file(path.join(folder, script)));
  }
  return written;
}

export function newExtensionSpec(): CommandSpec {
  return { info: COMMANDS.newExtension, run: newExtension };
}
