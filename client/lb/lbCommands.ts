// The local LB's commands (start, stop, restart, status, test CONNECT, exports, the code lens's debug route) as command-table specs.
import * as vscode from 'vscode';
import type { MqttVersion } from '../../runtime/mqtt';
import { COMMANDS } from '../commandList';
import type { CommandSpec } from '../commands';
import type { StudioContext } from '../context';
import { runCli } from './cliRunner';
import type { LbController } from './lbController';
import { decisionLabel, type DecisionRecord } from './lbTreeModel';
import { LB_VIEW_ID } from './lbViews';
import { connackMeaning, CONNECT_VERSIONS, sendTestConnect, type TestConnectResult } from './testConnect';
import { checkScriptSpec } from './checkScript';
import { newExtensionSpec } from './scaffold';

const notRunning = (ctx: StudioContext): string | undefined =>
  ctx.lb?.status.kind === 'running' ? undefined : 'the local MQTT LB is not running; start it with "Protocol Extension: Start Local MQTT LB".';

function lbOf(ctx: StudioContext): LbController {
  if (!ctx.lb) throw new Error('the local MQTT LB is not set up in this window');
  return ctx.lb;
}

/** What Send Test CONNECT reports: the CONNACK and the decision the LB made for this very connection. */
export interface TestConnectReport extends TestConnectResult {
  version: MqttVersion;
  clientId: string;
  decision: DecisionRecord | null;
}

async function showStatus(ctx: StudioContext): Promise<string> {
  const lb = lbOf(ctx);
  if (lb.status.kind !== 'running') {
    const pick = await vscode.window.showInformationMessage(`Local MQTT LB: ${lb.status.kind}.`, 'Start');
    if (pick) await lb.start();
    return lb.status.kind;
  }
  const stats = await lb.requestStats();
  await vscode.commands.executeCommand(`${LB_VIEW_ID}.focus`);
  const summary = stats
    ? `running on ${lb.status.listen}: ${stats.services.map((s) => `${s.id} ${s.up ? 'up' : 'DOWN'} (${s.activeConnections} active)`).join(', ')}; ${stats.connections.active} active / ${stats.connections.total} total connections; ${stats.persistence.entries.length} persistence sessions`
    : `running on ${lb.status.listen}`;
  ctx.log.info(`local MQTT LB status: ${summary}`);
  return summary;
}

/** Picks version and ClientID (or takes them as arguments, for tests and keybindings). */
async function sendTestConnectCommand(ctx: StudioContext, versionArg?: unknown, clientIdArg?: unknown): Promise<TestConnectReport | undefined> {
  const lb = lbOf(ctx);
  if (lb.status.kind !== 'running') return undefined;
  const version = CONNECT_VERSIONS.includes(versionArg as MqttVersion)
    ? (versionArg as MqttVersion)
    : (await vscode.window.showQuickPick(
        CONNECT_VERSIONS.map((v) => ({ label: v, description: v === '3.1' ? 'MQIsdp, level 3' : v === '3.1.1' ? 'MQTT, level 4' : 'MQTT, level 5, with a Receive Maximum property (as mosquitto sends)' })),
        { title: 'Send Test CONNECT: MQTT version' },
      ))?.label as MqttVersion | undefined;
  if (!version) return undefined;
  const clientId = typeof clientIdArg === 'string'
    ? clientIdArg
    : await vscode.window.showInputBox({ title: 'Send Test CONNECT: ClientID', value: 'test-client-1', prompt: 'The ClientID the CONNECT carries (may be empty)' });
  if (clientId === undefined) return undefined;
  const listen = lb.status.listen;
  const i = listen.lastIndexOf(':');
  // Events arrive over IPC while the socket talks to the LB: collect them from the start, then match by client port.
  const records: { conn: number; clientPort?: number }[] = [];
  const sub = lb.onRecord((r) => {
    if (r.event === 'connection') records.push({ conn: r.conn, clientPort: r.clientPort });
  });
  let result: TestConnectResult;
  try {
    result = await sendTestConnect(listen.slice(0, i), Number(listen.slice(i + 1)), version, clientId);
    await waitForDecision(lb, records, result.localPort, 2000);
  } finally {
    sub.dispose();
  }
  const conn = records.find((r) => r.clientPort === result.localPort)?.conn;
  const decision = conn === undefined ? null : (lb.decisions.forConnection(conn) ?? null);
  const report: TestConnectReport = { ...result, version, clientId, decision };
  const how = decision ? `${decisionLabel(decision)} (${decision.chosenBy}, persistence ${decision.persistence}): ${decision.reason}` : 'no LB decision was made for it';
  const answer = result.returnCode !== null ? `CONNACK ${result.returnCode} (${connackMeaning(result.returnCode, version)}) in ${result.elapsedMs} ms` : `no CONNACK: ${result.failure}`;
  ctx.log.info(`Send Test CONNECT ${version} ClientID ${JSON.stringify(clientId)}: ${answer}; ${how}`);
  const show = result.returnCode !== null ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
  void show(`MQTT ${version} "${clientId}": ${answer}. ${how}`, 'Show Log').then((pick) => {
    if (pick) ctx.log.show();
  });
  return report;
}

async function waitForDecision(lb: LbController, records: { conn: number; clientPort?: number }[], localPort: number, timeoutMs: number): Promise<void> {
  const found = () => {
    const conn = records.find((r) => r.clientPort === localPort)?.conn;
    return conn !== undefined && lb.decisions.forConnection(conn) !== undefined;
  };
  if (found()) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => { sub.dispose(); resolve(); }, timeoutMs);
    const sub = lb.onRecord(() => {
      if (!found()) return;
      clearTimeout(timer);
      sub.dispose();
      resolve();
    });
  });
}

/** Runs `protoext-lb export` with the same configuration the LB runs with, into an untitled document. */
async function exportConfiguration(ctx: StudioContext, target: 'netscaler' | 'haproxy'): Promise<vscode.TextDocument | undefined> {
  const lb = lbOf(ctx);
  const config = lb.configForExport();
  const r = await runCli(lb.cliPath, ['export', `--${target}`, '--config', config.file], config.cwd);
  if (r.code !== 0) throw new Error(r.stderr.trim() || `protoext-lb export exited with ${r.code}`);
  const doc = await vscode.workspace.openTextDocument({ content: r.stdout, language: target === 'haproxy' ? 'haproxy' : 'plaintext' });
  await vscode.window.showTextDocument(doc);
  ctx.log.info(`exported the ${target === 'haproxy' ? 'HAProxy' : 'NetScaler'} configuration (${r.stdout.split('\n').length} lines) from ${config.source}`);
  return doc;
}

export function lbCommandTable(): CommandSpec[] {
  return [
    {
      info: COMMANDS.startLb,
      whyDisabled: (ctx) => (ctx.lb?.status.kind === 'running' || ctx.lb?.status.kind === 'starting' ? `the local MQTT LB is already ${ctx.lb.status.kind}.` : undefined),
      run: async (ctx) => {
        await lbOf(ctx).start();
        return lbOf(ctx).status;
      },
    },
    { info: COMMANDS.stopLb, whyDisabled: notRunning, run: async (ctx) => { await lbOf(ctx).stop(); return lbOf(ctx).status; } },
    { info: COMMANDS.restartLb, whyDisabled: notRunning, run: async (ctx) => { await lbOf(ctx).restart(); return lbOf(ctx).status; } },
    { info: COMMANDS.showLbStatus, run: showStatus },
    { info: COMMANDS.sendTestTraffic, whyDisabled: notRunning, run: sendTestConnectCommand },
    checkScriptSpec(),
    newExtensionSpec(),
    { info: COMMANDS.exportNetscaler, run: (ctx) => exportConfiguration(ctx, 'netscaler') },
    { info: COMMANDS.exportHaproxy, run: (ctx) => exportConfiguration(ctx, 'haproxy') },
  ];
}
