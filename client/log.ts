// The one log of the extension: an OutputChannel named "Protocol Extension Studio" that reveals itself on errors.
import * as vscode from 'vscode';

export const LOG_CHANNEL_NAME = 'Protocol Extension Studio';

/** Keeps the last lines in memory too, so tests and the status command can read what was logged. */
export class StudioLog implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;
  private readonly recent: string[] = [];
  private static readonly KEEP = 500;
  private readonly wrote = new vscode.EventEmitter<string>();
  /** Fires with each line this log writes (tests wait on it instead of polling). */
  readonly onDidWrite = this.wrote.event;

  constructor() {
    // A log channel, because vscode-languageclient 10 writes server output through its leveled API.
    this.channel = vscode.window.createOutputChannel(LOG_CHANNEL_NAME, { log: true });
  }

  /** Language-server protocol traces: written at info level so `protoext.trace.server` alone makes them visible. */
  serverTrace(message: string): void {
    this.write('info', `[lsp] ${message}`);
  }

  info(message: string): void {
    this.write('info', message);
  }

  warn(message: string): void {
    this.write('warn', message);
  }

  /** Errors are the one thing a user must not miss, so the channel comes forward without stealing focus. */
  error(message: string, cause?: unknown): void {
    const detail = cause instanceof Error ? `: ${cause.stack ?? cause.message}` : cause === undefined ? '' : `: ${String(cause)}`;
    this.write('error', message + detail);
    this.channel.show(true);
  }

  show(): void {
    this.channel.show(true);
  }

  lines(): readonly string[] {
    return this.recent;
  }

  dispose(): void {
    this.wrote.dispose();
    this.channel.dispose();
  }

  private write(level: 'info' | 'warn' | 'error', message: string): void {
    const line = `[${level}] ${message}`;
    this.recent.push(line);
    if (this.recent.length > StudioLog.KEEP) this.recent.shift();
    this.channel[level](message);
    this.wrote.fire(line);
  }
}
