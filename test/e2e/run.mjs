// The e2e harness: provisions code-server, installs the packaged VSIX into a fresh profile, runs the compiled suite inside it via chromium.
import { spawnSync } from 'node:child_process';
import { cpSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { provision } from '../../scripts/e2e/provision.mjs';
import { freePort, installVsix, killGroup, startCodeServer } from './harness/codeServer.mjs';
import { openBrowser, performUiAction } from './harness/browser.mjs';
import { startHarnessServer } from './harness/harnessServer.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TOTAL_TIMEOUT_MS = Number(process.env.PROTOEXT_E2E_TIMEOUT_MS) || 10 * 60_000;
const FIRST_RESULT_TIMEOUT_MS = Number(process.env.PROTOEXT_E2E_FIRST_RESULT_MS) || 4 * 60_000;
const resultsDir = join(repo, 'test-results', 'e2e');
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const say = (line) => console.log(`[e2e ${elapsed()}] ${line}`);

/** Everything that must die with the harness, whatever way it ends. */
const cleanups = [];
let finished = false;

async function cleanup() {
  for (const fn of cleanups.splice(0).reverse()) {
    try {
      await fn();
    } catch (err) {
      console.error(`[e2e] cleanup: ${err instanceof Error ? err.message : err}`);
    }
  }
}

function writeCounts(counts) {
  const target = process.env.PROTOEXT_E2E_COUNTS;
  if (!target) return;
  mkdirSync(dirname(resolve(repo, target)), { recursive: true });
  writeFileSync(resolve(repo, target), JSON.stringify(counts));
}

async function finish(counts, reason) {
  if (finished) return;
  finished = true;
  await cleanup();
  writeCounts(counts);
  say(`${reason}: ${counts.passed} passed, ${counts.failed} failed`);
  process.exit(counts.failed === 0 && counts.passed > 0 ? 0 : 1);
}

function step(name, cmd, args, opts = {}) {
  say(name);
  const r = spawnSync(cmd, args, { cwd: repo, stdio: 'inherit', ...opts });
  if (r.status !== 0) throw new Error(`${name} failed (${r.status ?? r.signal})`);
}

/** A per-run folder: profile, extensions, chromium profile, workspace; removed at the end. */
function freshProfile() {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'protoext-e2e-')));
  const profile = {
    root,
    userDataDir: join(root, 'user-data'),
    extensionsDir: join(root, 'extensions'),
    xdgConfig: join(root, 'xdg-config'),
    chromiumDir: join(root, 'chromium'),
    workspace: join(root, 'workspace'),
    extraEnv: {},
  };
  for (const d of [profile.userDataDir, profile.extensionsDir, profile.xdgConfig, profile.chromiumDir]) mkdirSync(d, { recursive: true });
  cpSync(join(repo, 'test', 'e2e', 'workspace'), profile.workspace, { recursive: true });
  // Settings a test run needs: no welcome page, no trust prompt, trace the language server.
  mkdirSync(join(profile.userDataDir, 'User'), { recursive: true });
  writeFileSync(join(profile.userDataDir, 'User', 'settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none',
    'security.workspace.trust.enabled': false,
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'telemetry.telemetryLevel': 'off',
  }, null, 2));
  return profile;
}

function payloadUrl(base, port, workspace, devPath, testsPath) {
  const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
  const payload = JSON.stringify([['extensionDevelopmentPath', remote(devPath)], ['extensionTestsPath', remote(testsPath)]]);
  return `${base}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`;
}

async function main() {
  const watchdog = setTimeout(() => {
    console.error(`[e2e] total time limit ${TOTAL_TIMEOUT_MS} ms reached`);
    void finish({ passed: 0, failed: Math.max(1, counts.failed) }, 'timeout');
  }, TOTAL_TIMEOUT_MS);
  watchdog.unref();
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => void finish({ passed: counts.passed, failed: counts.failed + 1 }, sig));

  // A stale counts file from an earlier run must never stand in for this one.
  if (process.env.PROTOEXT_E2E_COUNTS) rmSync(resolve(repo, process.env.PROTOEXT_E2E_COUNTS), { force: true });
  rmSync(resultsDir, { recursive: true, force: true });
  mkdirSync(resultsDir, { recursive: true });
  const { paths, seconds } = provision();
  say(`provisioned (${seconds.toFixed(1)} s): code-server ${paths.codeServerDir}`);

  // test-all.mjs (which sets PROTOEXT_E2E_COUNTS) has just compiled the tests; a direct run compiles them itself.
  const testsEntry = join(repo, 'out', 'test', 'e2e', 'suite', 'index.js');
  if (!process.env.PROTOEXT_E2E_COUNTS || !existsSync(testsEntry)) {
    try {
      step('compiling tests (tsc -p tsconfig.test.json)', 'npx', ['tsc', '-p', 'tsconfig.test.json']);
    } catch (err) {
      // tsc still emits on type errors (often in someone else's files); run what was emitted, but say so.
      if (!existsSync(testsEntry)) throw err;
      say(`WARNING: ${err.message}; running the suite tsc emitted anyway`);
    }
  }
  if (process.env.PROTOEXT_E2E_SKIP_PACKAGE !== '1' || !existsSync(join(repo, 'protoext-studio.vsix'))) {
    step('packaging (npm run package)', 'npm', ['run', 'package', '--silent']);
  }

  const profile = freshProfile();
  cleanups.push(() => rmSync(profile.root, { recursive: true, force: true }));
  say(`installing protoext-studio.vsix into fresh extensions dir ${profile.extensionsDir}`);
  say(installVsix(paths, profile, join(repo, 'protoext-studio.vsix')).split('\n').pop());

  // The development path is a stub manifest beside the compiled suite, so the extension under test is the installed one.
  const devPath = join(repo, 'out', 'test', 'e2e');
  cpSync(join(repo, 'test', 'e2e', 'stub', 'package.json'), join(devPath, 'package.json'));
  const testsPath = join(devPath, 'suite', 'index.js');

  let page;
  const harness = await startHarnessServer({
    onEvent: (event) => onSuiteEvent(event),
    onUi: (request) => {
      if (!page) return { ok: false, error: 'browser not ready' };
      say(`ui: ${JSON.stringify(request)}`);
      return performUiAction(page, request, { screenshotDir: resultsDir });
    },
  });
  cleanups.push(() => harness.close());
  // The suite finds the harness (and what "installed" means) through this file in its workspace.
  writeFileSync(join(profile.workspace, '.protoext-e2e.json'), JSON.stringify({
    harnessUrl: harness.url,
    extensionsDir: profile.extensionsDir,
    sourceDir: repo,
    // Said here, not left to the extension host's environment, which code-server builds for itself.
    ci: Boolean(process.env.CI),
  }, null, 2));

  const port = await freePort();
  const server = await startCodeServer(paths, profile, { port, logFile: join(resultsDir, 'code-server.log') });
  cleanups.push(() => killGroup(server.pid));
  say(`code-server listening on ${server.url} (pgid ${server.pid})`);

  // The workbench's console is loud (gallery, auth, reconnects); keep it in a file, print it only when asked.
  const exthostLog = createWriteStream(join(resultsDir, 'exthost.log'));
  cleanups.push(() => new Promise((r) => exthostLog.end(r)));
  const exitCode = new Promise((resolveExit) => {
    void openBrowser({
      executablePath: paths.chromium,
      profileDir: profile.chromiumDir,
      onLog: (type, args) => {
        const text = Array.isArray(args) ? args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ') : String(args);
        exthostLog.write(`[${type}] ${text}\n`);
        if (process.env.PROTOEXT_E2E_VERBOSE === '1') console.log(`  [exthost ${type}] ${text}`);
      },
      onExit: (code) => resolveExit(Number(code)),
      onBlocked: (url) => say(`blocked non-loopback request ${url}`),
    }).then(async (browser) => {
      cleanups.push(() => browser.close()); // pushed last, so it closes first, before code-server goes away
      page = browser.page;
      const url = payloadUrl(server.url, port, profile.workspace, devPath, testsPath);
      say(`opening ${url}`);
      await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 120_000 });
      // A suite that never starts (extension host crash, bad payload) would otherwise wait for the total limit.
      const quiet = setTimeout(() => {
        if (counts.passed + counts.failed === 0) {
          console.error(`[e2e] no test result within ${FIRST_RESULT_TIMEOUT_MS} ms of opening the workbench; see test-results/e2e/exthost.log`);
          resolveExit(1);
        }
      }, FIRST_RESULT_TIMEOUT_MS);
      quiet.unref();
    }).catch((err) => {
      console.error(`[e2e] browser: ${err instanceof Error ? err.stack : err}`);
      resolveExit(1);
    });
  });

  const code = await exitCode;
  if (!doneReported) console.error('[e2e] the suite ended without reporting its counts');
  say(`suite exited with ${code}`);
  const failed = counts.failed + (code !== 0 && counts.failed === 0 ? 1 : 0) + (doneReported ? 0 : 1);
  await finish({ passed: counts.passed, failed }, 'e2e');
}

const counts = { passed: 0, failed: 0 };
let doneReported = false;

/** Prints the suite's per-test results as they arrive. */
function onSuiteEvent(event) {
  switch (event.kind) {
    case 'pass':
      counts.passed += 1;
      console.log(`  ✔ ${event.title} (${event.durationMs} ms)`);
      break;
    case 'fail':
      counts.failed += 1;
      console.log(`  ✘ ${event.title}\n      ${String(event.error).split('\n').join('\n      ')}`);
      break;
    case 'note':
      console.log(`  · ${event.text}`);
      break;
    case 'done':
      doneReported = true;
      console.log(`  suite: ${event.passed} passed, ${event.failed} failed`);
      break;
    default:
      console.log(`  ? ${JSON.stringify(event)}`);
  }
}

main().catch(async (err) => {
  console.error(`[e2e] ${err instanceof Error ? err.stack : err}`);
  await finish({ passed: counts.passed, failed: counts.failed + 1 }, 'harness error');
});
