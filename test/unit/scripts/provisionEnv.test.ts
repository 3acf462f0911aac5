// Provisioning's nested npm runs: nothing of an outer `npm test` (its npm_* config, user agent, PATH entries) reaches them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

type Env = Record<string, string | undefined>;
interface ChildEnvModule {
  packageManagerEnv(env: Env, options?: { nodeBinDir?: string; set?: Record<string, string>; sep?: string }): Record<string, string>;
  pathKey(env: Env): string;
}
interface ProvisionModule {
  npmInstall(dir: string, spec: string, options?: { nodeBinDir?: string; set?: Record<string, string>; from?: Env }): void;
}
const load = <T>(file: string): Promise<T> => import(pathToFileURL(resolve(file)).href) as Promise<T>;

/** What an outer `npm test` on Node 16 would export: its user agent is what code-server's postinstall reads. */
const FOREIGN_NPM: Env = {
  npm_config_user_agent: 'npm/8.19.4 node/v16.20.2 linux x64 workspaces/false',
  npm_config_cache: '/nonexistent/outer-npm-cache',
  npm_lifecycle_event: 'test',
  npm_package_name: 'protoext-studio',
  npm_node_execpath: '/usr/local/bin/node16',
  INIT_CWD: '/somewhere/else',
};

/**
 * A local package whose postinstall does what code-server's does: read the Node major from npm's user agent and refuse
 * when it is not the Node actually running. It records what it saw.
 */
function fakeStrictPackage(root: string): string {
  const pkg = join(root, 'strict-postinstall');
  mkdirSync(pkg);
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'strict-postinstall', version: '1.0.0', scripts: { postinstall: 'node check.js' } }));
  writeFileSync(join(pkg, 'check.js'), [
    "const ua = process.env.npm_config_user_agent || '';",
    "const seen = (ua.match(/node\\/v(\\d+)/) || [])[1];",
    "require('fs').writeFileSync(process.env.SEEN_FILE, JSON.stringify({ ua, running: process.versions.node }));",
    "if (seen !== process.versions.node.split('.')[0]) { console.error('requires node v' + process.versions.node + ', detected v' + seen); process.exit(1); }",
  ].join('\n'));
  const packed = spawnSync('npm', ['pack', '--silent', '--pack-destination', root], { cwd: pkg, encoding: 'utf8', env: { PATH: process.env.PATH } });
  assert.equal(packed.status, 0, packed.stderr);
  return join(root, packed.stdout.trim().split('\n').pop() as string);
}

test('provisioning installs under an outer npm that names a foreign Node: the child npm reports the Node it runs on', async () => {
  const { npmInstall } = await load<ProvisionModule>('scripts/e2e/provision.mjs');
  const root = mkdtempSync(join(tmpdir(), 'protoext-provision-'));
  try {
    const tarball = fakeStrictPackage(root);
    const seenFile = join(root, 'seen.json');
    const outer = { ...process.env, ...FOREIGN_NPM, SEEN_FILE: seenFile };
    npmInstall(join(root, 'target'), tarball, { from: outer });
    const seen = JSON.parse(readFileSync(seenFile, 'utf8')) as { ua: string; running: string };
    assert.match(seen.ua, new RegExp(`node/v${seen.running.replace(/\./g, '\\.')}\\b`));
    assert.doesNotMatch(seen.ua, /node\/v16/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('the same install with the outer environment passed through unscrubbed fails as code-server did', () => {
  const root = mkdtempSync(join(tmpdir(), 'protoext-provision-'));
  try {
    const tarball = fakeStrictPackage(root);
    const target = join(root, 'target');
    mkdirSync(target);
    writeFileSync(join(target, 'package.json'), '{"private":true}\n');
    const r = spawnSync('npm', ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', tarball], {
      cwd: target, encoding: 'utf8', env: { ...process.env, ...FOREIGN_NPM, npm_config_cache: undefined, SEEN_FILE: join(root, 'seen.json') },
    });
    assert.notEqual(r.status, 0, 'a leaked user agent must make the strict postinstall refuse (else the test above proves nothing)');
    assert.match(`${r.stdout}${r.stderr}`, /detected v16/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('packageManagerEnv drops npm_* and npm-prepended PATH entries, puts the chosen Node first, keeps the rest', async () => {
  const { packageManagerEnv } = await load<ChildEnvModule>('scripts/lib/childEnv.mjs');
  const env = packageManagerEnv({
    ...FOREIGN_NPM, NODE: '/usr/bin/node', HOME: '/home/u', LANG: 'C.UTF-8',
    PATH: '/repo/node_modules/.bin:/usr/lib/node_modules/npm/node_modules/@npmcli/run-script/lib/node-gyp-bin:/usr/local/bin:/usr/bin',
  }, { nodeBinDir: '/cache/node24/bin', set: { npm_config_nodedir: '/cache/node24' } });
  assert.deepEqual(Object.keys(env).filter((k) => /^npm_/i.test(k)), ['npm_config_nodedir']);
  assert.equal(env.INIT_CWD, undefined);
  assert.equal(env.NODE, undefined);
  assert.equal(env.PATH, '/cache/node24/bin:/usr/local/bin:/usr/bin');
  assert.equal(env.HOME, '/home/u');
  assert.equal(env.LANG, 'C.UTF-8');
});

test('packageManagerEnv keeps Windows\' own Path key and separator', async () => {
  const { packageManagerEnv, pathKey } = await load<ChildEnvModule>('scripts/lib/childEnv.mjs');
  const from = { Path: 'C:\\repo\\node_modules\\.bin;C:\\Program Files\\nodejs;C:\\Windows', npm_config_user_agent: 'npm/10 node/v18' };
  assert.equal(pathKey(from), 'Path');
  const env = packageManagerEnv(from, { nodeBinDir: 'C:\\cache\\node24', sep: ';' });
  assert.equal(env.Path, 'C:\\cache\\node24;C:\\Program Files\\nodejs;C:\\Windows');
  assert.equal(env.PATH, undefined);
  assert.equal(env.npm_config_user_agent, undefined);
});
