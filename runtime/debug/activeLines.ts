// The lines of a loaded script that can hold a breakpoint: lua_getinfo "L" over every function of the script reachable after its main chunk ran.
import { LUA_TFUNCTION, LUA_TTABLE, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS } from '../lua/luaConstants';
import type { Ptr } from '../lua/luaModule';
import type { LoadedExtension } from '../ns/loadExtension';
import { AR, LuaHeap } from './luaHeap';

/** Deep enough for handlers in tables of tables; the walk must stay bounded on cyclic or huge structures. */
const MAX_DEPTH = 8;

/**
 * Nested functions are only reachable as closures, so the walk starts at the globals (client.on_data,
 * helpers) and follows upvalues (local helper functions); the main chunk is compiled again (not run) for
 * its own top-level lines. Runs inside a protected call of the script's state, as every API call must.
 */
export function collectActiveLines(ext: LoadedExtension, source: string, heap: LuaHeap): number[] {
  const state = ext.state;
  const lua = state.lua;
  const userSource = `@${ext.chunkName}`;
  const lines = new Set<number>();
  const seen = new Set<Ptr>();
  const ar = lua._malloc(AR.size);
  const visit = (L: Ptr, depth: number): void => {
    const t = lua._lua_type(L, -1);
    const p = lua._lua_topointer(L, -1);
    if (depth > MAX_DEPTH || (t !== LUA_TFUNCTION && t !== LUA_TTABLE) || seen.has(p) || lua._lua_checkstack(L, 8) === 0) {
      lua._lua_settop(L, -2);
      return;
    }
    seen.add(p);
    const top = lua._lua_gettop(L);
    if (t === LUA_TFUNCTION) {
      for (let n = 1; lua._lua_getupvalue(L, top, n) !== 0; n++) visit(L, depth + 1);
      lua._lua_getinfo(L, heap.cstr('>SL'), ar); // pops the function, pushes its active lines (nil for C functions)
      if (heap.readCString(heap.readInt(ar + AR.source)) === userSource && lua._lua_type(L, -1) === LUA_TTABLE) {
        const table = lua._lua_gettop(L);
        lua._lua_pushnil(L);
        while (lua._lua_next(L, table) !== 0) {
          lines.add(lua._lua_tointegerx(L, -2, 0));
          lua._lua_settop(L, -2);
        }
      }
    } else {
      lua._lua_pushnil(L);
      while (lua._lua_next(L, top) !== 0) visit(L, depth + 1);
    }
    lua._lua_settop(L, top - 1);
  };
  state.pushFunction((L: Ptr) => {
    lua._lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
    visit(L, 0);
    return 0;
  });
  const walked = state.call(0, 0);
  if (walked.ok && state.load(new TextEncoder().encode(source), userSource).ok) {
    lua._lua_getinfo(state.L, heap.cstr('>SL'), ar);
    const table = state.top();
    lua._lua_pushnil(state.L);
    while (lua._lua_next(state.L, table) !== 0) {
      lines.add(lua._lua_tointegerx(state.L, -2, 0));
      lua._lua_settop(state.L, -2);
    }
    state.setTop(table - 1);
  }
  lua._free(ar);
  return [...lines].sort((a, b) => a - b);
}
