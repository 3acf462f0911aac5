// The ids and palette titles of every command, as plain data (no `vscode` import) so unit tests can check package.json against it.

export const COMMAND_CATEGORY = 'Protocol Extension';

export interface CommandInfo {
  readonly id: string;
  /** Title without the category; the palette shows "Protocol Extension: <title>". */
  readonly title: string;
}

export const COMMANDS = {
  showRuntimeLog: { id: 'protoext.showRuntimeLog', title: 'Show Runtime Log' },
  showLanguageServerStatus: { id: 'protoext.showLanguageServerStatus', title: 'Show Language Server Status' },
  restartLanguageServer: { id: 'protoext.restartLanguageServer', title: 'Restart Language Server' },
  startLb: { id: 'protoext.startLb', title: 'Start Local MQTT LB' },
  stopLb: { id: 'protoext.stopLb', title: 'Stop Local MQTT LB' },
  restartLb: { id: 'protoext.restartLb', title: 'Restart Local MQTT LB' },
  showLbStatus: { id: 'protoext.showLbStatus', title: 'Show LB Status' },
  sendTestConnect: { id: 'protoext.sendTestConnect', title: 'Send Test CONNECT' },
  checkScript: { id: 'protoext.checkScript', title: 'Check Script Against MQTT Corpus' },
  newExtension: { id: 'protoext.newMqttExtension', title: 'New MQTT Protocol Extension' },
  exportNetscaler: { id: 'protoext.exportNetscaler', title: 'Export NetScaler Configuration' },
  exportHaproxy: { id: 'protoext.exportHaproxy', title: 'Export HAProxy Configuration' },
  /** The code lens's command: routes to the debugger's Debug CONNECT Parsing with the lens's document. */
  debugConnect: { id: 'protoext.debugConnect', title: 'Debug CONNECT Parsing (from code lens)' },
} as const satisfies Record<string, CommandInfo>;

export type CommandKey = keyof typeof COMMANDS;

/** What the command palette shows for a command. */
export function paletteTitle(info: CommandInfo): string {
  return `${COMMAND_CATEGORY}: ${info.title}`;
}
