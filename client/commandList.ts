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
  startLb: { id: 'protoext.startLb', title: 'Start Local LB' },
  stopLb: { id: 'protoext.stopLb', title: 'Stop Local LB' },
  restartLb: { id: 'protoext.restartLb', title: 'Restart Local LB' },
  showLbStatus: { id: 'protoext.showLbStatus', title: 'Show LB Status' },
  /** Id kept from the MQTT-only days (users' keybindings). */
  sendTestTraffic: { id: 'protoext.sendTestConnect', title: 'Send Test Traffic' },
  checkScript: { id: 'protoext.checkScript', title: 'Check Script Against Corpus' },
  /** Id kept from the MQTT-only days (users' keybindings). */
  newExtension: { id: 'protoext.newMqttExtension', title: 'New Protocol Extension' },
  exportNetscaler: { id: 'protoext.exportNetscaler', title: 'Export NetScaler Configuration' },
  exportHaproxy: { id: 'protoext.exportHaproxy', title: 'Export HAProxy Configuration' },
  /** Id kept from the MQTT-only days (users' keybindings). */
  debugFirstFlight: { id: 'protoext.debugConnectParsing', title: 'Debug First Flight' },
  stepToNextByte: { id: 'protoext.stepToNextByte', title: 'Step to Next Byte' },
  /** The code lens's command: Debug First Flight with the lens's document. */
  debugFromLens: { id: 'protoext.debugConnect', title: 'Debug First Flight (from code lens)' },
} as const satisfies Record<string, CommandInfo>;

export type CommandKey = keyof typeof COMMANDS;

/** What the command palette shows for a command. */
export function paletteTitle(info: CommandInfo): string {
  return `${COMMAND_CATEGORY}: ${info.title}`;
}
