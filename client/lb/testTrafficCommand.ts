// "Send Test Traffic" for the protocol the LB serves: MQTT sends a CONNECT and reads the CONNACK; other protocols send a preset and report one decision per message.
import * as vscode from 'vscode';
import { protocolByName, type Protocol, type TrafficPreset } from '../../runtime/protocols';
import { splitChunks } from '../../runtime/packets/packetSource';
import { COMMANDS } from '../commandList';
import type { CommandSpec } from '../commands';
import type { StudioContext } from '../context';
import { lbOf, notRunning } from './lbGuards';
import type { LbController } from './lbController';
import { decisionLabel, decisionsForConnection, type DecisionRecord } from './lbTreeModel';
import { connackMeaning, CONNECT_VERSIONS, sendTestConnect, type MqttVersion, type TestConnectResult } from './testConnect';
import { sendTestTraffic, type TestTrafficResult } from './testTraffic';

/** What Send Test Traffic reports for MQTT: the CONNACK and the decision the LB made for this very connection. */
export interface TestConnectReport extends TestConnectResult {
  version: MqttVersion;
  clientId: string;
  decision: DecisionRecord | null;
}

/** What it reports for the other protocols: the preset sent and every decision made on its connection (one per message). */
export interface TestTrafficReport extends Omit<TestTrafficResult, 'close'> {
  protocol: string;
  preset: string;
  /** Messages the reference framing finds in the preset (null: the protocol has no framing; one decision expected). */
  expectedMessages: number | null;
  decisions: DecisionRecord[];
}

function hostPort(listen: string): [string, number] {
  const i = listen.lastIndexOf(':');
  return [listen.slice(0, i), Number(listen.slice(i + 1))];
}

/**
 * Runs `send` while collecting the LB's `connection` events (they arrive over IPC while the socket talks), then waits
 * until `enough` decisions were made on the connection from the client's local port, or a timeout.
 */
async function withDecisions<T extends { localPort: number }>(lb: LbController, send: () => Promise<T>, enough: number): Promise<{ result: T; decisions: DecisionRecord[] }> {
  const records: { conn: number; clientPort?: number }[] = [];
  const decided = (port: number): DecisionRecord[] => {
    const conn = records.find((r) => r.clientPort === port)?.conn;
    return conn === undefined ? [] : decisionsForConnection(lb.decisions, conn);
  };
  const sub = lb.onRecord((r) => {
    if (r.event === 'connection') records.push({ conn: r.conn, clientPort: r.clientPort });
  });
  try {
    const result = await send();
    if (decided(result.localPort).length < enough) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => { wait.dispose(); resolve(); }, 2000);
        const wait = lb.onRecord(() => {
          if (decided(result.localPort).length < enough) return;
          clearTimeout(timer);
          wait.dispose();
          resolve();
        });
      });
    }
    return { result, decisions: decided(result.localPort) };
  } finally {
    sub.dispose();
  }
}

/** MQTT: picks version and ClientID (or takes them as arguments, for tests and keybindings). */
async function sendTestConnectCommand(ctx: StudioContext, lb: LbController, versionArg?: unknown, clientIdArg?: unknown): Promise<TestConnectReport | undefined> {
  const version = CONNECT_VERSIONS.includes(versionArg as MqttVersion)
    ? (versionArg as MqttVersion)
    : (await vscode.window.showQuickPick(
        CONNECT_VERSIONS.map((v) => ({ label: v, description: v === '3.1' ? 'MQIsdp, level 3' : v === '3.1.1' ? 'MQTT, level 4' : 'MQTT, level 5, with a Receive Maximum property (as mosquitto sends)' })),
        { title: 'Send Test Traffic (MQTT): version of the CONNECT' },
      ))?.label as MqttVersion | undefined;
  if (!version) return undefined;
  const clientId = typeof clientIdArg === 'string'
    ? clientIdArg
    : await vscode.window.showInputBox({ title: 'Send Test Traffic (MQTT): ClientID', value: 'test-client-1', prompt: 'The ClientID the CONNECT carries (may be empty)' });
  if (clientId === undefined || lb.status.kind !== 'running') return undefined;
  const [host, port] = hostPort(lb.status.listen);
  const { result, decisions } = await withDecisions(lb, () => sendTestConnect(host, port, version, clientId), 1);
  const decision = decisions[decisions.length - 1] ?? null;
  const how = decision ? `${decisionLabel(decision)} (${decision.chosenBy}, persistence ${decision.persistence}): ${decision.reason}` : 'no LB decision was made for it';
  const answer = result.returnCode !== null ? `CONNACK ${result.returnCode} (${connackMeaning(result.returnCode, version)}) in ${result.elapsedMs} ms` : `no CONNACK: ${result.failure}`;
  ctx.log.info(`Send Test CONNECT ${version} ClientID ${JSON.stringify(clientId)}: ${answer}; ${how}`);
  const show = result.returnCode !== null ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
  void show(`MQTT ${version} "${clientId}": ${answer}. ${how}`, 'Show Log').then((pick) => { if (pick) ctx.log.show(); });
  return { ...result, version, clientId, decision };
}

/** Other protocols: one of the protocol's presets (or the one named by the argument), on one connection. */
async function sendPresetCommand(ctx: StudioContext, lb: LbController, protocol: Protocol, presetArg?: unknown): Promise<TestTrafficReport | undefined> {
  const presets = protocol.presets();
  const preset: TrafficPreset | undefined = presets.find((p) => p.name === presetArg) ?? (await vscode.window.showQuickPick(
    presets.map((p) => ({ label: p.label, detail: p.description, preset: p })),
    { title: `Send Test Traffic (${protocol.title}): what should one client send?` },
  ))?.preset;
  if (!preset || lb.status.kind !== 'running') return undefined;
  const expectation = protocol.expectation(preset.bytes);
  const expectedMessages = expectation?.kind === 'messages' ? expectation.messages.length : null;
  const [host, port] = hostPort(lb.status.listen);
  const deliveries = preset.chunks ? splitChunks(preset.bytes, preset.chunks) : [preset.bytes];
  const { result, decisions } = await withDecisions(lb, () => sendTestTraffic(host, port, deliveries), expectedMessages ?? 1);
  result.close();
  const unit = protocol.balancing === 'message' ? protocol.unitName : 'connection';
  const how = decisions.length === 0 ? 'no LB decision was made for it' : decisions.map((d) => decisionLabel(d, protocol)).join(', ');
  const line = `${protocol.title} "${preset.label}": ${result.bytesSent} bytes${result.failure ? ` (${result.failure})` : ''}; ${decisions.length} decision(s)${expectedMessages !== null ? ` for ${expectedMessages} ${unit}(s)` : ''}: ${how}`;
  ctx.log.info(`Send Test Traffic ${line}`);
  const ok = result.failure === null && (expectedMessages === null ? decisions.length > 0 : decisions.length === expectedMessages);
  void (ok ? vscode.window.showInformationMessage : vscode.window.showWarningMessage)(line, 'Show Log').then((pick) => { if (pick) ctx.log.show(); });
  const { close: _closed, ...sent } = result;
  return { ...sent, protocol: protocol.name, preset: preset.name, expectedMessages, decisions };
}

export function testTrafficSpec(): CommandSpec {
  return {
    info: COMMANDS.sendTestTraffic,
    whyDisabled: notRunning,
    run: (ctx, ...args) => {
      const lb = lbOf(ctx);
      const protocol = protocolByName(lb.runConfig?.protocol ?? 'mqtt');
      return protocol.name === 'mqtt' ? sendTestConnectCommand(ctx, lb, ...args) : sendPresetCommand(ctx, lb, protocol, ...args);
    },
  };
}
