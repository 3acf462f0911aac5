// The debug commands as command-table specs: Debug First Flight (a pick of the workspace protocol's presets, hex or a file), its code-lens route, Step to Next Byte.
import * as vscode from 'vscode';
import { STEP_TO_NEXT_BYTE_REQUEST } from '../../runtime/debug/customMessages';
import type { PacketSpec } from '../../runtime/debug/launchConfig';
import { parseHex } from '../../runtime/packets/packetSource';
import { COMMANDS } from '../commandList';
import type { CommandSpec } from '../commands';
import type { StudioContext } from '../context';
import { firstFlightConfiguration, packetPresets, type PacketPreset } from './packetPresets';

export const DEBUG_TYPE = 'protoext';

/** Beyond the protocol's presets, any bytes: typed as hex, or read from a file (raw bytes or hex text). */
async function ownBytes(kind: 'hex' | 'file'): Promise<PacketPreset | undefined> {
  if (kind === 'hex') {
    const hex = await vscode.window.showInputBox({
      title: 'Debug First Flight: the client bytes as hex',
      prompt: 'Pairs of hex digits; spaces, colons and 0x are allowed',
      validateInput: (text) => { try { parseHex(text); return undefined; } catch (e) { return e instanceof Error ? e.message : String(e); } },
    });
    return hex === undefined ? undefined : { label: 'hex', detail: hex, packet: hex };
  }
  const files = await vscode.window.showOpenDialog({ title: 'Debug First Flight: a file with the client bytes (raw, or hex text)', canSelectMany: false });
  const file = files?.[0];
  return file ? { label: file.fsPath.split(/[\\/]/).pop() ?? 'file', detail: file.fsPath, packet: { file: file.fsPath } satisfies PacketSpec } : undefined;
}

async function debugFirstFlight(ctx: StudioContext, uri?: unknown): Promise<boolean> {
  // The language server's lens passes the document URI as a string.
  const given = typeof uri === 'string' ? vscode.Uri.parse(uri) : uri instanceof vscode.Uri ? uri : undefined;
  const file = given ?? vscode.window.activeTextEditor?.document.uri;
  if (!file || !file.fsPath.endsWith('.lua')) {
    void vscode.window.showErrorMessage('Debug First Flight: open the protocol extension (.lua) first.');
    return false;
  }
  const protocol = ctx.workspaceConfig.protocol();
  type Item = vscode.QuickPickItem & { preset?: PacketPreset; own?: 'hex' | 'file' };
  const items: Item[] = [
    ...packetPresets(protocol).map((p) => ({ label: p.label, detail: p.detail, preset: p })),
    { label: '', kind: vscode.QuickPickItemKind.Separator },
    { label: 'Hex string…', detail: 'type the client bytes as hex', own: 'hex' },
    { label: 'File…', detail: 'raw bytes or hex text from a file', own: 'file' },
  ];
  const pick = await vscode.window.showQuickPick(items, {
    title: `Debug First Flight (${protocol.title}): what should the script receive?`,
    placeHolder: `${protocol.title} test traffic; the protocol comes from protoext.json or the protoext.lb.protocol setting`,
  });
  if (!pick) return false;
  const preset = pick.preset ?? (pick.own ? await ownBytes(pick.own) : undefined);
  if (!preset) return false;
  const config = firstFlightConfiguration(file.fsPath, protocol, preset);
  ctx.log.info(`debugging ${file.fsPath} (${protocol.title}) with ${preset.label}`);
  const started = await vscode.debug.startDebugging(vscode.workspace.getWorkspaceFolder(file), config);
  if (!started) ctx.log.error(`could not start the protoext debug session for ${file.fsPath}`);
  return started;
}

const noPausedSession = (): string | undefined =>
  vscode.debug.activeDebugSession?.type === DEBUG_TYPE ? undefined : 'it needs a paused Protocol Extension debug session.';

export function debugCommandTable(): CommandSpec[] {
  return [
    { info: COMMANDS.debugFirstFlight, run: debugFirstFlight },
    { info: COMMANDS.debugFromLens, run: debugFirstFlight },
    {
      info: COMMANDS.stepToNextByte,
      whyDisabled: noPausedSession,
      run: async () => { await vscode.debug.activeDebugSession?.customRequest(STEP_TO_NEXT_BYTE_REQUEST, { threadId: 1 }); },
    },
  ];
}
