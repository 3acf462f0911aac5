// The small API activate() returns, so e2e tests can assert on internal state without poking at the UI.
import type { StudioContext } from './context';
import type { LanguageServerState } from './languageServer';
import type { LbStatus, LbStatusKind } from './lb/lbStatus';
import type { DecisionRecord, LbTreeNode } from './lb/lbTreeModel';

export interface StudioTestApi {
  /** Bumped when a member changes meaning. */
  readonly apiVersion: 1;
  /** Milliseconds from the first line of activate() to its end. */
  readonly activationMs: number;
  readonly extensionPath: string;
  languageClientState(): LanguageServerState;
  /** Resolves once the language client is running; rejects after timeoutMs. */
  whenLanguageClientRunning(timeoutMs: number): Promise<void>;
  /** How many times a command id ran through the command table (palette, keybinding or executeCommand). */
  commandRuns(id: string): number;
  /** Resolves once `id` has run at least `count` times in total; rejects after timeoutMs (palette runs arrive asynchronously). */
  whenCommandRuns(id: string, count: number, timeoutMs: number): Promise<void>;
  logLines(): readonly string[];
  /** Resolves with the first log line (already written or future) matching `pattern`; rejects after timeoutMs. */
  whenLogLine(pattern: RegExp, timeoutMs: number): Promise<string>;
  /** The local MQTT LB's status (the state machine the status bar shows). */
  lbStatus(): LbStatus;
  /** Resolves once the LB status is `kind`; rejects after timeoutMs with the status it was in. */
  whenLbStatus(kind: LbStatusKind, timeoutMs: number): Promise<LbStatus>;
  /** The runtime process id while one runs. */
  lbPid(): number | undefined;
  /** The status bar item's text. */
  lbStatusBarText(): string;
  /** The "Local MQTT LB" tree as shown (groups with children). */
  lbTreeItems(): readonly LbTreeNode[];
  /** Decisions received from the runtime, oldest first. */
  lbDecisions(): readonly DecisionRecord[];
  /** Resolves with the first decision (seen or future) whose token is `token`; rejects after timeoutMs. */
  whenLbDecision(token: string, timeoutMs: number): Promise<DecisionRecord>;
  /** Diagnostics of the 'protoext-runtime' collection on a file. */
  runtimeDiagnostics(file: string): number;
}

function whenEvent<T>(what: string, check: () => T | undefined, subscribe: (listener: () => void) => { dispose(): void }, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const now = check();
    if (now !== undefined) return resolve(now);
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`${what} within ${timeoutMs} ms`));
    }, timeoutMs);
    const sub = subscribe(() => {
      const value = check();
      if (value === undefined) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(value);
    });
  });
}

export function createTestApi(ctx: StudioContext, activationMs: number): StudioTestApi {
  const lb = () => {
    if (!ctx.lb) throw new Error('the local LB controller was not created');
    return ctx.lb;
  };
  return {
    lbStatus: () => lb().status,
    whenLbStatus: (kind, timeoutMs) =>
      whenEvent(`the LB status did not become ${kind} (it is ${JSON.stringify(lb().status)})`, () => (lb().status.kind === kind ? lb().status : undefined), (l) => lb().onDidChangeStatus(l), timeoutMs),
    lbPid: () => lb().pid,
    lbStatusBarText: () => ctx.lbStatusBar?.text ?? '',
    lbTreeItems: () => ctx.lbTree?.nodes() ?? [],
    lbDecisions: () => lb().decisions.all(),
    whenLbDecision: (token, timeoutMs) =>
      whenEvent(`no LB decision for token ${JSON.stringify(token)}`, () => lb().decisions.all().find((d) => d.token === token), (l) => lb().onDidChangeData(l), timeoutMs),
    runtimeDiagnostics: (file) => lb().diagnostics.count(file),
    apiVersion: 1,
    activationMs,
    extensionPath: ctx.extension.extensionPath,
    languageClientState: () => ctx.languageServer?.state ?? 'stopped',
    whenLanguageClientRunning: (timeoutMs) =>
      ctx.languageServer ? ctx.languageServer.whenRunning(timeoutMs) : Promise.reject(new Error('language client not created')),
    commandRuns: (id) => ctx.commandRuns.get(id) ?? 0,
    whenCommandRuns: (id, count, timeoutMs) =>
      new Promise<void>((resolve, reject) => {
        if ((ctx.commandRuns.get(id) ?? 0) >= count) return resolve();
        const timer = setTimeout(() => {
          sub.dispose();
          reject(new Error(`${id} ran ${ctx.commandRuns.get(id) ?? 0} time(s), not ${count}, within ${timeoutMs} ms`));
        }, timeoutMs);
        const sub = ctx.onDidRunCommand((ran) => {
          if (ran !== id || (ctx.commandRuns.get(id) ?? 0) < count) return;
          clearTimeout(timer);
          sub.dispose();
          resolve();
        });
      }),
    logLines: () => ctx.log.lines(),
    whenLogLine: (pattern, timeoutMs) =>
      new Promise<string>((resolve, reject) => {
        const seen = ctx.log.lines().find((l) => pattern.test(l));
        if (seen !== undefined) return resolve(seen);
        const timer = setTimeout(() => {
          sub.dispose();
          reject(new Error(`no log line matched ${pattern} within ${timeoutMs} ms`));
        }, timeoutMs);
        const sub = ctx.log.onDidWrite((line) => {
          if (!pattern.test(line)) return;
          clearTimeout(timer);
          sub.dispose();
          resolve(line);
        });
      }),
  };
}
