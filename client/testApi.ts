// The small API activate() returns, so e2e tests can assert on internal state without poking at the UI.
import type { StudioContext } from './context';
import type { LanguageServerState } from './languageServer';

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
}

export function createTestApi(ctx: StudioContext, activationMs: number): StudioTestApi {
  return {
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
