// Starts and supervises the language client for dist/server.js over stdio; `protoext.trace.server` is honoured through ServerTraceChannel.
import * as vscode from 'vscode';
import { LanguageClient, State, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import type { Protocol } from '../runtime/protocols';
import type { StudioLog } from './log';
import { ServerTraceChannel } from './serverTraceChannel';

/** Client -> server notification (server/features/codeLens.ts declares the same name and shape). */
const PROTOCOL_NOTIFICATION = 'protoext/protocol';

/** What the server's lenses need of the protocol: the server imports no protocol knowledge. */
function lensProtocol(p: Protocol): { title: string; hasCorpus: boolean } {
  return { title: p.title, hasCorpus: p.corpus().length > 0 };
}

export type LanguageServerState = 'stopped' | 'starting' | 'running';

/** The id doubles as the settings prefix: vscode-languageclient reads `protoext.trace.server` from it. */
const CLIENT_ID = 'protoext';

function stateName(state: State): LanguageServerState {
  switch (state) {
    case State.Running:
      return 'running';
    case State.Starting:
      return 'starting';
    default:
      return 'stopped';
  }
}

export class LanguageServerHandle implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private readonly stateChanged = new vscode.EventEmitter<LanguageServerState>();
  readonly onDidChangeState = this.stateChanged.event;
  lastError: string | undefined;
  private readonly traceChannel: ServerTraceChannel;

  constructor(
    private readonly serverModule: string,
    private readonly log: StudioLog,
    /** The workspace's protocol, asked at each start (the lenses name it). */
    private readonly protocol: () => Protocol,
  ) {
    this.traceChannel = new ServerTraceChannel(log);
  }

  get state(): LanguageServerState {
    return this.client ? stateName(this.client.state) : 'stopped';
  }

  /** Never throws: a server that cannot start must not take the rest of the extension down with it. */
  async start(): Promise<void> {
    if (this.client) return;
    const run = { module: this.serverModule, transport: TransportKind.stdio, args: ['--stdio'] };
    const serverOptions: ServerOptions = { run, debug: { ...run, options: { execArgv: ['--nolazy', '--inspect=6009'] } } };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [{ scheme: 'file', language: 'lua' }, { scheme: 'untitled', language: 'lua' }],
      outputChannel: this.log.channel,
      traceOutputChannel: this.traceChannel,
      initializationOptions: { protocol: lensProtocol(this.protocol()) },
    };
    const client = new LanguageClient(CLIENT_ID, 'Protocol Extension Language Server', serverOptions, clientOptions);
    this.client = client;
    client.onDidChangeState((e) => this.stateChanged.fire(stateName(e.newState)));
    this.log.info(`language server: starting ${this.serverModule}`);
    const started = Date.now();
    try {
      await client.start();
      this.lastError = undefined;
      this.log.info(`language server: running (${Date.now() - started} ms)`);
    } catch (err) {
      this.lastError = err instanceof Error ? err.message : String(err);
      this.log.error('language server: failed to start', err);
    }
  }

  /** The workspace's protocol changed (protoext.json, the protoext.lb.protocol setting): the lenses follow. */
  protocolChanged(): void {
    if (this.client?.state === State.Running) void this.client.sendNotification(PROTOCOL_NOTIFICATION, lensProtocol(this.protocol()));
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client?.needsStop()) await client.stop();
    this.stateChanged.fire('stopped');
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Resolves when the server reaches `running`; rejects after `timeoutMs` with the state it was stuck in. */
  whenRunning(timeoutMs: number): Promise<void> {
    if (this.state === 'running') return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        sub.dispose();
        reject(new Error(`language server still ${this.state} after ${timeoutMs} ms${this.lastError ? `: ${this.lastError}` : ''}`));
      }, timeoutMs);
      const sub = this.onDidChangeState((s) => {
        if (s !== 'running') return;
        clearTimeout(timer);
        sub.dispose();
        resolve();
      });
    });
  }

  dispose(): void {
    void this.stop();
    this.stateChanged.dispose();
    this.traceChannel.dispose();
  }
}
