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
} as const satisfies Record<string, CommandInfo>;

export type CommandKey = keyof typeof COMMANDS;

/** What the command palette shows for a command. */
export function paletteTitle(info: CommandInfo): string {
  return `${COMMAND_CATEGORY}: ${info.title}`;
}
