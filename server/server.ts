// Language server entry point: wires the LSP connection (stdio) to the Lua 5.2 / protocol-extension analysis features.
import {
  createConnection, ProposedFeatures, ResponseError, TextDocuments, TextDocumentSyncKind,
  type InitializeResult, type Range,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { AnalysisCache, type DocumentAnalysis } from './analysis/analyze';
import type { Span } from './analysis/ast';
import { codeLenses, lensProtocolOf, PROTOCOL_NOTIFICATION, type LensProtocol } from './features/codeLens';
import { completionsAt } from './features/completion';
import { diagnosticsFor, quickFixes } from './features/diagnostics';
import { hoverAt } from './features/hover';
import { definitionOf, referencesOf, RenameError, renameEdits, renameRange } from './features/navigation';
import { signatureHelpAt } from './features/signatureHelp';
import { documentSymbols, foldingRanges } from './features/symbols';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const cache = new AnalysisCache();

const initializeResult: InitializeResult = {
  capabilities: {
    textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
    completionProvider: { triggerCharacters: ['.', ':', ' '] },
    hoverProvider: true,
    signatureHelpProvider: { triggerCharacters: ['(', ','], retriggerCharacters: [','] },
    documentSymbolProvider: true,
    definitionProvider: true,
    referencesProvider: true,
    renameProvider: { prepareProvider: true },
    foldingRangeProvider: true,
    codeActionProvider: { codeActionKinds: ['quickfix'] },
    codeLensProvider: { resolveProvider: false },
  },
  serverInfo: { name: 'protoext-lua', version: '0.1.0' },
};

/** The workspace's protocol, as the client last said (null: not said; the lenses then name none). */
let lensProtocol: LensProtocol | null = null;
let canRefreshLenses = false;

connection.onInitialize((params): InitializeResult => {
  lensProtocol = lensProtocolOf((params.initializationOptions as { protocol?: unknown } | undefined)?.protocol);
  canRefreshLenses = params.capabilities.workspace?.codeLens?.refreshSupport === true;
  return initializeResult;
});

connection.onNotification(PROTOCOL_NOTIFICATION, (params: unknown) => {
  lensProtocol = lensProtocolOf(params);
  if (canRefreshLenses) void connection.sendRequest('workspace/codeLens/refresh');
});

interface Opened {
  document: TextDocument;
  analysis: DocumentAnalysis;
  toRange: (span: Span) => Range;
}

function open(uri: string): Opened | undefined {
  const document = documents.get(uri);
  if (!document) return undefined;
  const analysis = cache.get(uri, document.version, () => document.getText());
  const toRange = (span: Span): Range => ({ start: document.positionAt(span[0]), end: document.positionAt(span[1]) });
  return { document, analysis, toRange };
}

// Edits often arrive in bursts (one per keystroke): analyse once per burst, on the next turn of the event loop.
const pending = new Set<string>();
function scheduleValidation(uri: string): void {
  if (pending.has(uri)) return;
  pending.add(uri);
  setImmediate(() => {
    pending.delete(uri);
    try {
      const opened = open(uri);
      if (!opened) return;
      void connection.sendDiagnostics({ uri, version: opened.document.version, diagnostics: diagnosticsFor(opened.analysis, opened.toRange) });
    } catch (e) {
      // A bug in one rule must not take the server (and every other feature) down with it.
      connection.console.error(`protoext: analysis of ${uri} failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    }
  });
}

documents.onDidChangeContent((event) => scheduleValidation(event.document.uri));
documents.onDidClose((event) => {
  cache.delete(event.document.uri);
  void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
});

connection.onCompletion((params) => {
  const opened = open(params.textDocument.uri);
  return opened ? completionsAt(opened.analysis, opened.document.offsetAt(params.position), params.context?.triggerCharacter) : [];
});

connection.onHover((params) => {
  const opened = open(params.textDocument.uri);
  return opened ? hoverAt(opened.analysis, opened.document.offsetAt(params.position), (o) => opened.document.positionAt(o)) : null;
});

connection.onSignatureHelp((params) => {
  const opened = open(params.textDocument.uri);
  return opened ? signatureHelpAt(opened.analysis, opened.document.offsetAt(params.position)) : null;
});

connection.onDocumentSymbol((params) => {
  const opened = open(params.textDocument.uri);
  return opened ? documentSymbols(opened.analysis, opened.toRange) : [];
});

connection.onFoldingRanges((params) => {
  const opened = open(params.textDocument.uri);
  return opened ? foldingRanges(opened.analysis, (o) => opened.document.positionAt(o).line) : [];
});

connection.onDefinition((params) => {
  const opened = open(params.textDocument.uri);
  const span = opened && definitionOf(opened.analysis, opened.document.offsetAt(params.position));
  return opened && span ? { uri: params.textDocument.uri, range: opened.toRange(span) } : null;
});

connection.onReferences((params) => {
  const opened = open(params.textDocument.uri);
  if (!opened) return [];
  return referencesOf(opened.analysis, opened.document.offsetAt(params.position), params.context.includeDeclaration)
    .map((span) => ({ uri: params.textDocument.uri, range: opened.toRange(span) }));
});

connection.onPrepareRename((params) => {
  const opened = open(params.textDocument.uri);
  const span = opened && renameRange(opened.analysis, opened.document.offsetAt(params.position));
  return opened && span ? opened.toRange(span) : null;
});

connection.onRenameRequest((params) => {
  const opened = open(params.textDocument.uri);
  if (!opened) return null;
  try {
    const spans = renameEdits(opened.analysis, opened.document.offsetAt(params.position), params.newName);
    return { changes: { [params.textDocument.uri]: spans.map((span) => ({ range: opened.toRange(span), newText: params.newName })) } };
  } catch (e) {
    if (e instanceof RenameError) throw new ResponseError(-32602, e.message);
    throw e;
  }
});

connection.onCodeAction((params) => quickFixes(params.textDocument.uri, params.context.diagnostics));

connection.onCodeLens((params) => {
  const opened = open(params.textDocument.uri);
  return opened ? codeLenses(opened.analysis, params.textDocument.uri, opened.toRange, lensProtocol) : [];
});

documents.listen(connection);
connection.listen();
