// The language client's trace channel: makes `protoext.trace.server` alone switch LSP tracing on, writing into the one log.
import * as vscode from 'vscode';
import type { StudioLog } from './log';

export const TRACE_SETTING = 'protoext.trace.server';

/**
 * vscode-languageclient 10 traces only when its trace channel's log level is Trace, which an extension
 * cannot set on a real channel. This channel reports Trace exactly when the setting is not "off", and
 * announces a change of the setting as a change of level, so the client re-reads it at once.
 */
export class ServerTraceChannel implements vscode.LogOutputChannel {
  readonly name: string;
  private readonly levelChanged = new vscode.EventEmitter<vscode.LogLevel>();
  readonly onDidChangeLogLevel = this.levelChanged.event;
  private readonly configListener: vscode.Disposable;

  constructor(private readonly log: StudioLog) {
    this.name = log.channel.name;
    this.configListener = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(TRACE_SETTING)) this.levelChanged.fire(this.logLevel);
    });
  }

  get logLevel(): vscode.LogLevel {
    const setting = vscode.workspace.getConfiguration().get<string>(TRACE_SETTING, 'off');
    return setting === 'off' ? vscode.LogLevel.Info : vscode.LogLevel.Trace;
  }

  trace(message: string): void {
    this.log.serverTrace(message);
  }

  debug(message: string, ...args: unknown[]): void {
    this.log.channel.debug(message, ...args);
  }

  info(message: string, ...args: unknown[]): void {
    this.log.channel.info(message, ...args);
  }

  warn(message: string, ...args: unknown[]): void {
    this.log.channel.warn(message, ...args);
  }

  error(error: string | Error, ...args: unknown[]): void {
    this.log.channel.error(error, ...args);
  }

  append(value: string): void {
    this.log.channel.append(value);
  }

  appendLine(value: string): void {
    this.log.serverTrace(value);
  }

  replace(value: string): void {
    this.log.channel.replace(value);
  }

  clear(): void {
    this.log.channel.clear();
  }

  show(preserveFocus?: boolean): void;
  show(column?: vscode.ViewColumn, preserveFocus?: boolean): void;
  show(): void {
    this.log.show();
  }

  hide(): void {
    this.log.channel.hide();
  }

  /** Leaves the shared log channel alone: the log owns it. */
  dispose(): void {
    this.configListener.dispose();
    this.levelChanged.dispose();
  }
}
