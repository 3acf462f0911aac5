// Code lenses above `client.on_data`: debug the CONNECT parsing and check the script against the MQTT corpus (commands live in the client).
import type { CodeLens, Range } from 'vscode-languageserver/node';
import type { DocumentAnalysis } from '../analysis/analyze';
import { spanOf, type Span } from '../analysis/ast';

/** Command ids the client registers; the server only references them. */
export const LENS_COMMANDS = { debugConnect: 'protoext.debugConnect', checkScript: 'protoext.checkScript' } as const;

export function codeLenses(analysis: DocumentAnalysis, uri: string, toRange: (span: Span) => Range): CodeLens[] {
  const handler = analysis.scopes?.functions.find((f) => f.callback?.path === 'client.on_data');
  if (!handler) return [];
  const start = spanOf(handler.node)[0];
  const range = toRange([start, start]);
  return [
    { range, command: { title: 'Debug CONNECT parsing', command: LENS_COMMANDS.debugConnect, arguments: [uri] } },
    { range, command: { title: 'Check against MQTT corpus', command: LENS_COMMANDS.checkScript, arguments: [uri] } },
  ];
}
