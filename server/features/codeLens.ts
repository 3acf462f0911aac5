// Code lenses above `client.on_data`: debug the first flight and check the script against the corpus of the workspace's protocol (commands live in the client).
import type { CodeLens, Range } from 'vscode-languageserver/node';
import type { DocumentAnalysis } from '../analysis/analyze';
import { spanOf, type Span } from '../analysis/ast';

/** Command ids the client registers; the server only references them. */
export const LENS_COMMANDS = { debugConnect: 'protoext.debugConnect', checkScript: 'protoext.checkScript' } as const;

/**
 * The workspace protocol as the client describes it (initializationOptions.protocol, then the `protoext/protocol`
 * notification when protoext.json or the setting changes): the server knows no protocol itself.
 */
export interface LensProtocol {
  /** 'MQTT', 'syslog', 'raw TCP'. */
  title: string;
  /** Whether `check` has a corpus for it (raw has none). */
  hasCorpus: boolean;
}

/** Client -> server notification: the workspace's protocol changed. */
export const PROTOCOL_NOTIFICATION = 'protoext/protocol';

/** The shape the client sends, checked: anything else is ignored (the lenses then name no protocol). */
export function lensProtocolOf(value: unknown): LensProtocol | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  return typeof v.title === 'string' && typeof v.hasCorpus === 'boolean' ? { title: v.title, hasCorpus: v.hasCorpus } : null;
}

export function codeLenses(analysis: DocumentAnalysis, uri: string, toRange: (span: Span) => Range, protocol: LensProtocol | null): CodeLens[] {
  const handler = analysis.scopes?.functions.find((f) => f.callback?.path === 'client.on_data');
  if (!handler) return [];
  const start = spanOf(handler.node)[0];
  const range = toRange([start, start]);
  const lenses: CodeLens[] = [
    { range, command: { title: protocol ? `Debug first flight (${protocol.title})` : 'Debug first flight', command: LENS_COMMANDS.debugConnect, arguments: [uri] } },
  ];
  if (protocol?.hasCorpus !== false) {
    lenses.push({ range, command: { title: protocol ? `Check against ${protocol.title} corpus` : 'Check against corpus', command: LENS_COMMANDS.checkScript, arguments: [uri] } });
  }
  return lenses;
}
