// Unit: package.json's contributions match the client's command list, and the packaging inputs (icon, ignore file) are sound.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMAND_CATEGORY, COMMANDS, paletteTitle } from '../../../client/commandList';

// Compiled to out/test/unit/client; the repo root is four levels up.
const root = join(__dirname, '..', '..', '..', '..');

interface Manifest {
  icon: string;
  main: string;
  activationEvents: string[];
  contributes: { commands: { command: string; title: string; category: string }[] };
}

const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;

test('every command in the client list is contributed with the same title and the one category', () => {
  const contributed = new Map(manifest.contributes.commands.map((c) => [c.command, c]));
  for (const info of Object.values(COMMANDS)) {
    const c = contributed.get(info.id);
    assert.ok(c, `${info.id} missing from package.json contributes.commands`);
    assert.equal(c.title, info.title);
    assert.equal(c.category, COMMAND_CATEGORY);
  }
});

test('every contributed command is in the client list (the other direction): no command without a handler in the table', () => {
  const listed = new Set<string>(Object.values(COMMANDS).map((c) => c.id));
  for (const c of manifest.contributes.commands) assert.ok(listed.has(c.command), `${c.command} is contributed but not in client/commandList.ts`);
  assert.equal(manifest.contributes.commands.length, Object.keys(COMMANDS).length);
});

test('titles name no protocol: the commands work for MQTT, syslog and raw alike', () => {
  for (const info of Object.values(COMMANDS)) assert.doesNotMatch(info.title, /MQTT|CONNECT|syslog/i, info.id);
});

test('the palette title is "Protocol Extension: <title>"', () => {
  assert.equal(paletteTitle(COMMANDS.showRuntimeLog), 'Protocol Extension: Show Runtime Log');
});

test('activation is lazy: Lua files and protoext debug sessions, never "*"', () => {
  assert.ok(manifest.activationEvents.includes('onLanguage:lua'));
  assert.ok(manifest.activationEvents.includes('onDebugResolve:protoext'));
  assert.ok(!manifest.activationEvents.includes('*'));
  assert.equal(manifest.main, './dist/extension.js');
});

test('the icon is a 128x128 PNG', () => {
  const png = readFileSync(join(root, manifest.icon));
  assert.deepEqual([...png.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10]);
  assert.equal(png.readUInt32BE(16), 128);
  assert.equal(png.readUInt32BE(20), 128);
});

test('.vscodeignore ships the bundles and the Lua engine but not sources or node_modules', () => {
  const lines = readFileSync(join(root, '.vscodeignore'), 'utf8').split('\n').map((l) => l.trim());
  assert.equal(lines.find((l) => l && !l.startsWith('#')), '**', 'the ignore file must start by excluding everything');
  for (const kept of ['!dist/*.js', '!dist/lua52.wasm', '!package.json', '!README.md', '!LICENSE', '!CHANGELOG.md']) assert.ok(lines.includes(kept), `${kept} missing`);
  assert.ok(!lines.some((l) => /^!(client|server|runtime|node_modules|out|test)/.test(l)));
});
