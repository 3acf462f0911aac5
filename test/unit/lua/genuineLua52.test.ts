// The engine is genuine Lua 5.2 (number formatting, bit32, unpack) and moves every byte value in and out unchanged.
import test from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { committedLuaWasmDir } from '../../../runtime/lua/luaModule';
import { evalIn, sandbox, value } from './evalLua';

test('reports _VERSION "Lua 5.2" and formats numbers as 5.2 does', async () => {
  const L = await sandbox();
  assert.equal(value(evalIn(L, 'return _VERSION')), 'Lua 5.2');
  assert.equal(value(evalIn(L, 'return tostring(10/2)')), '5');
  assert.equal(value(evalIn(L, 'return tostring(2^31)')), '2147483648');
  assert.equal(value(evalIn(L, 'return tostring(tonumber("1e2"))')), '100');
  assert.equal(value(evalIn(L, 'return tostring(-0.0)')), '-0');
  L.close();
});

test('has the real bit32 library and the global unpack', async () => {
  const L = await sandbox();
  assert.equal(value(evalIn(L, 'return bit32.band(0xF0, 0x3C) .. "," .. bit32.rshift(0x80, 4) .. "," .. bit32.bnot(0)')), '48,8,4294967295');
  assert.equal(value(evalIn(L, 'return select("#", unpack({1, 2, 3}))')), '3');
  assert.equal(value(evalIn(L, 'return table.unpack == unpack')), 'true');
  L.close();
});

test('all 256 byte values round-trip through the VM unchanged', async () => {
  const L = await sandbox();
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);
  assert.ok(L.load(new TextEncoder().encode(`
    local s = ...
    for i = 1, 256 do assert(s:byte(i) == i - 1, 'byte ' .. i) end
    local t = {}
    for i = 0, 255 do t[#t + 1] = string.char(i) end
    return s .. table.concat(t)`), '@bytes.lua').ok);
  L.pushBytes(all);
  const ran = L.call(1, 1);
  assert.ok(ran.ok, ran.ok ? '' : ran.failure.message);
  const back = L.toBytes(-1);
  assert.deepEqual(back, Uint8Array.from([...all, ...all]));
  L.close();
});

test('finds the committed engine, whose bytes are the ones PROVENANCE.json records', async () => {
  const href = pathToFileURL(resolve('scripts/lib/luaEngineFiles.mjs')).href;
  const files = (await import(href)) as { ENGINE_DIR: string; verifyCommitted(): string[] };
  assert.equal(resolve(committedLuaWasmDir()), files.ENGINE_DIR);
  assert.deepEqual(files.verifyCommitted(), []);
});
