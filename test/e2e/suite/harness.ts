// The suite's side of the e2e harness: report results and ask the playwright side for UI actions (palette, keys, screenshots).
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import * as vscode from 'vscode';

/** What the harness writes into the workspace before VS Code opens it (`.protoext-e2e.json`). */
export interface HarnessInfo {
  /** Absent when no playwright side runs (e.g. under @vscode/test-electron). */
  harnessUrl?: string;
  /** The extensions dir the VSIX was installed into. */
  extensionsDir: string;
  /** The source checkout, which the extension under test must NOT be loaded from. */
  sourceDir: string;
  /** The harness ran under CI (CI set in its environment): peers a developer may lack, such as mosquitto, are required there. */
  ci?: boolean;
}

export type UiRequest =
  | { action: 'palette'; title: string; timeoutMs?: number }
  | { action: 'keys'; keys: string[] }
  | { action: 'type'; text: string }
  | { action: 'waitForText'; text: string; timeoutMs?: number }
  | { action: 'screenshot'; name: string };

export interface UiResult {
  ok: boolean;
  error?: string;
  /** For screenshots: where the PNG was written. */
  path?: string;
}

export type SuiteEvent =
  | { kind: 'pass'; title: string; durationMs: number }
  | { kind: 'fail'; title: string; durationMs: number; error: string }
  | { kind: 'note'; text: string }
  | { kind: 'done'; passed: number; failed: number };

export const HARNESS_FILE = '.protoext-e2e.json';

export function harnessInfo(): HarnessInfo | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) return undefined;
  const file = path.join(folder.uri.fsPath, HARNESS_FILE);
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as HarnessInfo) : undefined;
}

function post<T>(url: string, body: unknown, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) }, timeout: timeoutMs }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        try {
          resolve(JSON.parse(text) as T);
        } catch (err) {
          reject(err);
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`harness did not answer ${url} within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(data);
  });
}

/** Sends a result line to the harness when there is one, and to the console always (test-electron reads that). */
export async function report(event: SuiteEvent): Promise<void> {
  console.log(`[protoext-e2e] ${JSON.stringify(event)}`);
  const url = harnessInfo()?.harnessUrl;
  if (url) await post(`${url}/event`, event, 10_000).catch((err: unknown) => console.error(`[protoext-e2e] report failed: ${String(err)}`));
}

/** True when this run is CI's, as the harness that started VS Code saw it. */
export function underCi(): boolean {
  return harnessInfo()?.ci === true;
}

/** True when a playwright side can press keys and take screenshots. */
export function uiAvailable(): boolean {
  return harnessInfo()?.harnessUrl !== undefined;
}

/** Asks the harness for one UI action and throws with its reason when it could not be done. */
export async function ui(request: UiRequest): Promise<UiResult> {
  const url = harnessInfo()?.harnessUrl;
  if (!url) throw new Error(`UI action ${request.action} needs the code-server harness (test/e2e/run.mjs)`);
  const result = await post<UiResult>(`${url}/ui`, request, 90_000);
  if (!result.ok) throw new Error(`UI action ${JSON.stringify(request)} failed: ${result.error ?? 'unknown'}`);
  return result;
}

/** Runs a contributed command by its palette title: through the real palette when a harness runs, else by id. */
export async function runFromPalette(paletteTitle: string): Promise<void> {
  if (uiAvailable()) {
    await ui({ action: 'palette', title: paletteTitle });
    return;
  }
  const id = commandIdForTitle(paletteTitle);
  await vscode.commands.executeCommand(id);
}

function commandIdForTitle(paletteTitle: string): string {
  for (const ext of vscode.extensions.all) {
    const contributed = (ext.packageJSON as { contributes?: { commands?: { command: string; title: string; category?: string }[] } }).contributes?.commands ?? [];
    const hit = contributed.find((c) => (c.category ? `${c.category}: ${c.title}` : c.title) === paletteTitle);
    if (hit) return hit.command;
  }
  throw new Error(`no contributed command is titled "${paletteTitle}"`);
}

/**
 * Polls `check` (which may be async) until it holds; the error names what was awaited. For what has no event the suite
 * can subscribe to (stats, lens refreshes, a process's output).
 */
export async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
