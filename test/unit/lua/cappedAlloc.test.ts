// The allocator in C (runtime/lua/native/cappedAlloc.c): each state's account holds exactly the bytes Lua holds, per state, and the cap refuses only inside a protected call.
import test from 'node:test';
import assert from 'node:assert/strict';
import { LUA_GCCOLLECT, LUA_GCCOUNT, LUA_GCCOUNTB } from '../../../runtime/lua/luaConstants';
import type { LuaState } from '../../../runtime/lua/luaState';
import { evalIn, failure, sandbox, value } from './evalLua';

/** Lua's own count of the bytes it holds (collectgarbage("count") is closed to scripts, so the host asks). */
function luaBytes(state: LuaState): number {
  return state.lua._lua_gc(state.L, LUA_GCCOUNT, 0) * 1024 + state.lua._lua_gc(state.L, LUA_GCCOUNTB, 0);
}

test("the account equals Lua's own byte count as a script grows and frees", async () => {
  const L = await sandbox();
  assert.equal(L.memory.used, luaBytes(L));
  const before = L.memory.used;
  value(evalIn(L, 'big = {} for i = 1, 2000 do big[i] = ("z"):rep(100) .. i end return #big'));
  assert.equal(L.memory.used, luaBytes(L));
  assert.ok(L.memory.used > before + 200_000, `2000 strings of ~100 bytes counted (${before} -> ${L.memory.used})`);
  value(evalIn(L, 'big = nil return 0'));
  L.lua._lua_gc(L.L, LUA_GCCOLLECT, 0);
  assert.equal(L.memory.used, luaBytes(L));
  assert.ok(L.memory.used < before + 50_000, `freed again (${L.memory.used}, started at ${before})`);
  L.close();
});

test('two states keep separate accounts: one at its cap leaves the other working', async () => {
  const small = await sandbox(2 * 1024 * 1024);
  const other = await sandbox(64 * 1024 * 1024);
  const otherBefore = other.memory.used;
  const f = failure(evalIn(small, 'local t = {} for i = 1, 1e9 do t[i] = ("x"):rep(1000) end'));
  assert.equal(f.memoryRefused, true);
  assert.equal(small.memory.limit, 2 * 1024 * 1024);
  assert.ok(small.memory.used <= small.memory.limit);
  assert.equal(other.memory.used, otherBefore, "the other state's account did not move");
  assert.equal(value(evalIn(other, 'local t = {} for i = 1, 3000 do t[i] = ("x"):rep(1000) end return #t')), '3000');
  assert.ok(other.memory.used > 2 * 1024 * 1024, 'the larger state went past the small one\'s cap');
  small.close();
  other.close();
});

test('outside a protected call the cap does not refuse (a refusal there would abort the engine)', async () => {
  const L = await sandbox(1024 * 1024);
  assert.equal(L.memory.protectedDepth, 0);
  // lua_pushlstring from the host runs outside lua_pcallk: 2 MB over a 1 MB cap must still be allocated.
  L.lua._lua_pushlstring(L.L, L.engine.stage(new Uint8Array(2 * 1024 * 1024)), 2 * 1024 * 1024);
  assert.ok(L.memory.used > L.memory.limit, `allocated past the cap outside a call (${L.memory.used})`);
  assert.equal(L.memory.refused, false);
  L.lua._lua_settop(L.L, 0);
  L.lua._lua_gc(L.L, LUA_GCCOLLECT, 0);
  assert.equal(value(evalIn(L, 'return "still usable"')), 'still usable');
  L.close();
});
