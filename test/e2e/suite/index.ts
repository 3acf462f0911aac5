// Entry point VS Code calls inside the extension host (extensionTestsPath): runs the mocha e2e tests and reports each result.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import { report, ui, uiAvailable } from './harness';

/** The file that checks activation: it runs first, because any other test that activates the extension would make that check vacuous. */
const FIRST = 'extension.test.js';

/** Test files are compiled beside this one and end with `.test.js`; FIRST first, then by name. */
function testFiles(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.test.js'))
    .sort((a, b) => Number(b === FIRST) - Number(a === FIRST) || a.localeCompare(b))
    .map((f) => path.join(dir, f));
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  // Capture the screen while the failing test's UI is still showing.
  mocha.suite.afterEach(async function () {
    const t = this.currentTest;
    if (t?.state === 'failed' && uiAvailable()) await ui({ action: 'screenshot', name: `FAILED ${t.fullTitle()}` }).catch(() => undefined);
  });
  for (const file of testFiles(__dirname)) mocha.addFile(file);

  return new Promise((resolve, reject) => {
    const pending: Promise<void>[] = [];
    let passed = 0;
    let failed = 0;
    const runner = mocha.run(() => {
      void Promise.all(pending)
        .then(() => report({ kind: 'done', passed, failed }))
        .then(() => (failed > 0 ? reject(new Error(`${failed} e2e test(s) failed`)) : resolve()));
    });
    runner.on('pass', (t) => {
      passed += 1;
      pending.push(report({ kind: 'pass', title: t.fullTitle(), durationMs: t.duration ?? 0 }));
    });
    runner.on('fail', (t, err: unknown) => {
      failed += 1;
      const error = err instanceof Error ? (err.stack ?? err.message) : String(err);
      pending.push(report({ kind: 'fail', title: t.fullTitle(), durationMs: t.duration ?? 0, error }));
    });
  });
}
