// Platform rules with an injected OS: path equality, tool lookup and install hints, debug-hook locations, cache folders.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { samePath } from '../../../runtime/platform/samePath';
import { findExecutable, installHint, type ToolHost } from '../../../runtime/platform/executables';
import { announceDebugHook, debugHookPath, newestDebugHook, type HookHost } from '../../../runtime/debug/hookLocation';

test('paths compare case-insensitively on Windows and macOS, exactly on Linux', () => {
  assert.ok(samePath('c:\\Work\\mqtt.lua', 'C:\\work\\MQTT.lua', 'win32'));
  assert.ok(samePath('C:\\work\\sub\\..\\mqtt.lua', 'c:/work/mqtt.lua', 'win32'));
  assert.ok(samePath('/Users/ann/Ext/mqtt.lua', '/users/ann/ext/mqtt.lua', 'darwin'));
  assert.ok(!samePath('/home/ann/Ext/mqtt.lua', '/home/ann/ext/mqtt.lua', 'linux'));
  assert.ok(samePath('/home/ann/ext/./mqtt.lua', '/home/ann/ext/mqtt.lua', 'linux'));
  assert.ok(!samePath('C:\\work\\a.lua', 'C:\\work\\b.lua', 'win32'));
});

const host = (platform: NodeJS.Platform, env: NodeJS.ProcessEnv, files: string[]): ToolHost => ({ platform, env, exists: (f) => files.includes(f) });

test('mosquitto is found as mosquitto.exe on PATH or in Program Files on Windows, with PATHEXT', () => {
  assert.equal(findExecutable('mosquitto', host('win32', { Path: 'C:\\tools;C:\\mq', PATHEXT: '.COM;.EXE' }, ['C:\\mq\\mosquitto.exe'])), 'C:\\mq\\mosquitto.exe');
  assert.equal(
    findExecutable('mosquitto', host('win32', { Path: 'C:\\Windows', ProgramFiles: 'C:\\Program Files' }, ['C:\\Program Files\\mosquitto\\mosquitto.exe'])),
    'C:\\Program Files\\mosquitto\\mosquitto.exe',
  );
  assert.equal(findExecutable('mosquitto', host('win32', { Path: 'C:\\Windows' }, ['C:\\Windows\\mosquitto'])), null, 'no extensionless file on Windows');
});

test('mosquitto is found in the Homebrew prefix on macOS and in /usr/sbin on Linux when not on PATH', () => {
  assert.equal(findExecutable('mosquitto', host('darwin', { PATH: '/usr/bin' }, ['/opt/homebrew/sbin/mosquitto'])), '/opt/homebrew/sbin/mosquitto');
  assert.equal(findExecutable('mosquitto', host('darwin', { PATH: '/usr/bin' }, ['/usr/local/sbin/mosquitto'])), '/usr/local/sbin/mosquitto');
  assert.equal(findExecutable('mosquitto', host('linux', { PATH: '/usr/bin' }, ['/usr/sbin/mosquitto'])), '/usr/sbin/mosquitto');
  assert.equal(findExecutable('mosquitto', host('linux', { PATH: '/opt/mq:/usr/bin' }, ['/opt/mq/mosquitto', '/usr/sbin/mosquitto'])), '/opt/mq/mosquitto', 'PATH first');
  assert.equal(findExecutable('mosquitto', host('linux', { PATH: '/usr/bin' }, [])), null);
});

test('install hints follow the OS', () => {
  assert.match(installHint('mosquitto', 'linux'), /apt-get install mosquitto/);
  assert.match(installHint('mosquitto', 'darwin'), /brew install mosquitto/);
  assert.match(installHint('mosquitto', 'win32'), /winget install/);
  assert.doesNotMatch(installHint('mosquitto', 'win32'), /apt-get|brew/);
});

function hookHost(platform: NodeJS.Platform, baseDir: string, alive: number[]): HookHost {
  return { platform, baseDir, uid: process.getuid?.() ?? -1, user: 'Ann Smith', isAlive: (pid) => alive.includes(pid) };
}

test('on Windows the hook is a per-user named pipe, and attach discovery finds the newest live LB through its record', () => {
  const base = mkdtempSync(join(tmpdir(), 'protoext-hooks-'));
  try {
    const win = hookHost('win32', base, [111, 222]);
    const older = debugHookPath(111, win);
    const newer = debugHookPath(222, win);
    assert.equal(newer, '\\\\.\\pipe\\protoext-Ann_Smith-lb-222');
    assert.equal(newestDebugHook(win), null);
    const removeOld = announceDebugHook(older, 111, win);
    const removeNew = announceDebugHook(newer, 222, win);
    announceDebugHook(debugHookPath(333, win), 333, win); // an LB that died without cleaning up
    const dir = join(base, 'protoext-studio', 'debug-hooks');
    utimesSync(join(dir, 'lb-111.pipe'), new Date(1000), new Date(1000));
    utimesSync(join(dir, 'lb-333.pipe'), new Date(), new Date(Date.now() + 60_000));
    assert.equal(newestDebugHook(win), newer);
    removeNew();
    assert.equal(newestDebugHook(win), older);
    removeOld();
    assert.equal(newestDebugHook(win), null);
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});

test('on POSIX the hook is a socket file in a private 0700 folder; announcing it writes nothing', () => {
  const base = mkdtempSync(join(tmpdir(), 'protoext-hooks-'));
  try {
    const posixHost = hookHost('linux', base, [4242]);
    const path = debugHookPath(4242, posixHost);
    assert.equal(path, join(base, `protoext-${posixHost.uid}`, 'lb-4242.sock'));
    announceDebugHook(path, 4242, posixHost)();
    assert.equal(newestDebugHook(posixHost), null);
    writeFileSync(path, '');
    assert.equal(newestDebugHook(posixHost), path);
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});

interface CachePaths { cacheRoot(host?: { platform: string; env: Record<string, string | undefined>; home: string }): string }

test('the tool cache follows each OS convention; PROTOEXT_CACHE wins everywhere', async () => {
  const { cacheRoot } = (await import(pathToFileURL(resolve('scripts/cache-paths.mjs')).href)) as CachePaths;
  assert.equal(cacheRoot({ platform: 'linux', env: {}, home: '/home/ann' }), '/home/ann/.cache/protoext-studio');
  assert.equal(cacheRoot({ platform: 'linux', env: { XDG_CACHE_HOME: '/x' }, home: '/home/ann' }), '/x/protoext-studio');
  assert.equal(cacheRoot({ platform: 'darwin', env: {}, home: '/Users/ann' }), '/Users/ann/Library/Caches/protoext-studio');
  assert.equal(cacheRoot({ platform: 'win32', env: { LOCALAPPDATA: 'C:\\Users\\ann\\AppData\\Local' }, home: 'C:\\Users\\ann' }), 'C:\\Users\\ann\\AppData\\Local\\protoext-studio\\Cache');
  assert.equal(cacheRoot({ platform: 'win32', env: {}, home: 'C:\\Users\\ann' }), 'C:\\Users\\ann\\AppData\\Local\\protoext-studio\\Cache');
  assert.equal(cacheRoot({ platform: 'darwin', env: { PROTOEXT_CACHE: '/c' }, home: '/Users/ann' }), '/c');
});
