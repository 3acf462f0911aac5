// Test harness: runs the compiled language server (out/server/server.js, built by `tsc -p tsconfig.test.json`) over stdio and speaks LSP to it.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection, StreamMessageReader, StreamMessageWriter, PublishDiagnosticsNotification,
  type Diagnostic, type InitializeResult, type ProtocolConnection, type TextDocumentContentChangeEvent,
} from 'vscode-languageserver/node';

/** The repository root, from out/test/unit/server/ (compiled) or test/unit/server/ (source). */
export const REPO_ROOT = resolve(__dirname, __dirname.includes(`${join('out', 'test')}`) ? '../../../..' : '../../..');
const SERVER = join(REPO_ROOT, 'out', 'server', 'server.js');

export function readRepoFile(path: string): string {
  return readFileSync(join(REPO_ROOT, path), 'utf8');
}

export function uriOf(path: string): string {
  return pathToFileURL(join(REPO_ROOT, path)).toString();
}

export class LspSession {
  private readonly waiters: { uri: string; minVersion: number; resolve: (d: Diagnostic[]) => void }[] = [];
  readonly versions = new Map<string, number>();

  private constructor(private readonly child: ChildProcessWithoutNullStreams, readonly connection: ProtocolConnection, readonly capabilities: InitializeResult) {}

  static async start(): Promise<LspSession> {
    const child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: 'pipe' });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    // Notifications can arrive before the constructor returns; they are delivered once the session exists.
    const holder: { session?: LspSession } = {};
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      holder.session?.deliver(params.uri, params.version ?? 0, params.diagnostics);
    });
    connection.listen();
    const capabilities = await connection.sendRequest<InitializeResult>('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
    connection.sendNotification('initialized', {});
    holder.session = new LspSession(child, connection, capabilities);
    return holder.session;
  }

  /** The server process id (the benchmark reads its CPU time from /proc). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  private deliver(uri: string, version: number, diagnostics: Diagnostic[]): void {
    for (const waiter of [...this.waiters]) {
      if (waiter.uri === uri && version >= waiter.minVersion) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(diagnostics);
      }
    }
  }

  /** Resolves with the diagnostics the server publishes for this version of the document (or a later one). */
  diagnostics(uri: string): Promise<Diagnostic[]> {
    const minVersion = this.versions.get(uri) ?? 0;
    return new Promise((resolve) => this.waiters.push({ uri, minVersion, resolve }));
  }

  open(uri: string, text: string): Promise<Diagnostic[]> {
    this.versions.set(uri, 1);
    const result = this.diagnostics(uri);
    this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'lua', version: 1, text } });
    return result;
  }

  change(uri: string, changes: TextDocumentContentChangeEvent[]): Promise<Diagnostic[]> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    const result = this.diagnostics(uri);
    this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
    return result;
  }

  request<R>(method: string, params: object): Promise<R> {
    return this.connection.sendRequest<R>(method, params);
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    await this.connection.sendRequest('shutdown');
    this.connection.sendNotification('exit');
    await exited;
    this.connection.dispose();
  }
}

/** The position of the first occurrence of `needle` (plus `delta` characters) in `text`. */
export function positionOf(text: string, needle: string, delta = 0, occurrence = 1): { line: number; character: number } {
  let index = -1;
  for (let i = 0; i < occurrence; i++) index = text.indexOf(needle, index + 1);
  if (index < 0) throw new Error(`'${needle}' not found`);
  const offset = index + delta;
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}
