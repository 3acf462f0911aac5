// A workspace's protoext.json cannot make the extension run commands: unknown and command-like keys are refused, and nothing from it reaches a child process as a command.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { applyConfigFile, ConfigError, defaultConfig } from '../../../runtime/cli/config';
import { resolveRuntimeConfig, type LbSettings } from '../../../client/lb/runtimeConfig';

const REPO = resolve(__dirname, '..', '..', '..', '..');

const COMMAND_LIKE: readonly [string, unknown][] = [
  ['mosquitto path', { mosquitto: '/bin/sh' }],
  ['mosquittoPath', { mosquittoPath: '/tmp/evil' }],
  ['command', { command: 'touch /tmp/pwned' }],
  ['exec', { exec: ['sh', '-c', 'id'] }],
  ['shell', { shell: true }],
  ['preLaunchTask', { preLaunchTask: 'build' }],
  ['env', { env: { NODE_OPTIONS: '--require /tmp/evil.js' } }],
  ['execArgv', { execArgv: ['--inspect=0.0.0.0:9229'] }],
  ['embedded.binary', { embedded: { binary: '/bin/sh' } }],
  ['embedded.command', { embedded: { command: 'mosquitto -c /tmp/evil.conf' } }],
  ['embedded.args', { embedded: { args: ['-c', '/tmp/evil.conf'] } }],
  ['embedded.config', { embedded: { config: '/tmp/evil.conf' } }],
  ['services[].command', { services: [{ name: 'a', address: '127.0.0.1:1883', command: 'rm -rf ~' }] }],
  ['healthCheck.command', { healthCheck: { command: 'curl http://evil' } }],
  ['limits.exec', { limits: { exec: 1 } }],
  ['persistence.hook', { persistence: { hook: 'x' } }],
  ['vserver.script', { vserver: { script: '/tmp/evil.lua' } }],
];

for (const [name, json] of COMMAND_LIKE) {
  test(`protoext.json refuses ${name}`, () => {
    assert.throws(() => applyConfigFile(defaultConfig(), json, 'protoext.json', (p) => p), (e: unknown) => e instanceof ConfigError && /unknown key/.test(e.message));
  });
}

test('shell text in accepted keys is refused where the value has a shape', () => {
  const bad: unknown[] = [
    { embedded: { kind: '$(touch /tmp/pwned)' } },
    { listen: '127.0.0.1:1883; touch /tmp/pwned' },
    { lbMethod: 'USER_TOKEN`id`' },
    { events: 'jsonl | sh' },
    { limits: { maxConnections: '1; id' } },
  ];
  for (const json of bad) assert.throws(() => applyConfigFile(defaultConfig(), json, 'protoext.json', (p) => p), ConfigError, JSON.stringify(json));
});

test('the workspace protoext.json goes through the same validator in the client', () => {
  const dir = mkdtempSync(join(tmpdir(), 'protoext-sec-'));
  writeFileSync(join(dir, 'protoext.json'), JSON.stringify({ embedded: { binary: '/bin/sh' } }));
  const settings: LbSettings = { listen: '127.0.0.1:1883', services: [], lbMethod: 'USER_TOKEN', persistenceType: 'USERSESSION', persistenceTimeoutMinutes: 2, limits: {}, script: '', embeddedBrokerKind: 'auto', embeddedBrokers: 3, protocol: 'mqtt' };
  assert.throws(() => resolveRuntimeConfig(settings, dir), /unknown key/);
});

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (name.endsWith('.ts')) out.push(p);
  }
  return out;
}

/** Any way a module reaches child_process or cluster: static or dynamic import, require, re-export; either quote, with or without `node:`. */
const PROCESS_MODULE = /(?:\bfrom|\brequire\s*\(|\bimport\s*\(|^\s*import)\s*['"`](?:node:)?(?:child_process|cluster)['"`]/m;

test('the process-module pattern sees every way of importing child_process or cluster', () => {
  const ways = [
    "import { spawn } from 'node:child_process';",
    'import { spawn } from "child_process";',
    "import cluster from 'cluster';",
    "export { fork } from 'node:child_process';",
    "import 'child_process';",
    "const cp = require('child_process');",
    'const cp = require ( "node:cluster" );',
    "import cp = require('child_process');",
    "const cp = await import('node:child_process');",
    'const cp = await import(`child_process`);',
  ];
  for (const way of ways) assert.match(way, PROCESS_MODULE, way);
  for (const other of ["import { x } from './child_process_view';", "import * as fs from 'node:fs';", "// spawns no child_process here"]) assert.doesNotMatch(other, PROCESS_MODULE, other);
});

test('only known files start processes, and none takes its command from configuration', () => {
  const starters = new Map<string, string>();
  for (const file of [...sources(join(REPO, 'runtime')), ...sources(join(REPO, 'client')), ...sources(join(REPO, 'server'))]) {
    const text = readFileSync(file, 'utf8');
    if (PROCESS_MODULE.test(text)) starters.set(file.slice(REPO.length + 1), text);
  }
  // Each allowed starter, and why its command cannot come from protoext.json.
  const allowed: Record<string, RegExp> = {
    // Embedded backends under a fixed watchdog script; the backend binary is a positional argument ("$@"), never shell text.
    'runtime/cli/brokers/tiedProcess.ts': /spawn\('\/bin\/sh', \['-c', WATCHDOG, 'protoext-watchdog', dir, binary, \.\.\.args\]/,
    // The CLI re-running itself as cluster workers.
    'runtime/cli/workerCluster.ts': /exec: process\.argv\[1\]/,
    // The extension forking its own bundled dist/cli.js.
    'client/lb/lbProcess.ts': /fork\(options\.cliPath/,
    'client/lb/cliRunner.ts': /fork\(cliPath/,
  };
  // Found is exactly allowed: a new starter must be reviewed and added (with the reason its command is not configurable); an allowed one the scan misses means the pattern has a blind spot.
  assert.deepEqual([...starters.keys()].sort(), Object.keys(allowed).sort(), 'the files that start processes are exactly the reviewed ones');
  for (const [file, text] of starters) {
    assert.match(text, allowed[file], file);
    assert.doesNotMatch(text, /shell:\s*true|(?:^|[^.\w])exec(?:Sync)?\(|execFile/m, `${file} uses a shell`);
  }
  // The backends tiedProcess starts are the binaries found on this machine (PATH or the OS's install folders), never a configured path.
  const brokers = (f: string) => readFileSync(join(REPO, 'runtime', 'cli', 'brokers', f), 'utf8');
  assert.match(brokers('mosquittoProcess.ts'), /const binary = options\.binary \?\? findMosquitto\(\);/);
  assert.match(brokers('rsyslogProcess.ts'), /const binary = options\.binary \?\? findRsyslogd\(\);/);
  // The only caller passing a mosquitto binary passes what findMosquitto() found.
  const embedded = brokers('embeddedBrokers.ts');
  assert.match(embedded, /const mosquitto = findMosquitto\(\);/);
  assert.deepEqual(embedded.match(/binary: [^ }]+/g), ['binary: mosquitto']);
});
