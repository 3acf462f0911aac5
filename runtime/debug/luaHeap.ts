// The debugger's small helpers over the engine's WASM heap: C-string names, binary-safe strings, lua_Debug fields.
import { LUA_DEBUG } from '../lua/luaConstants';
import type { LuaEngine } from '../lua/luaEngine';
import type { LuaWasmModule, Ptr } from '../lua/luaModule';

/** lua_Debug fields the inspector reads, and a size with room to spare for the private CallInfo pointer. */
export const AR = { event: LUA_DEBUG.event, name: LUA_DEBUG.name, what: LUA_DEBUG.what, source: LUA_DEBUG.source, currentline: LUA_DEBUG.currentline, linedefined: LUA_DEBUG.linedefined, size: LUA_DEBUG.size + 8 } as const;

export const LUA_TYPE_NAMES = ['nil', 'boolean', 'userdata', 'number', 'string', 'table', 'function', 'userdata', 'thread'];

export class LuaHeap {
  private readonly cstrings = new Map<string, Ptr>();
  readonly m: LuaWasmModule;

  constructor(private readonly engine: LuaEngine) {
    this.m = engine.lua;
  }

  /** A NUL-terminated C string kept for the life of the worker (names, field keys, getinfo options). */
  cstr(s: string): Ptr {
    let p = this.cstrings.get(s);
    if (p === undefined) {
      p = this.m.allocateUTF8(s);
      this.cstrings.set(s, p);
    }
    return p;
  }

  readCString(p: Ptr): string {
    return p === 0 ? '' : this.m.UTF8ToString(p);
  }

  pushString(L: Ptr, s: string): void {
    this.engine.pushUtf8(L, s);
  }

  /** The bytes of the string (or number) at idx, or null for other types. */
  toBytes(L: Ptr, idx: number): Uint8Array | null {
    const out = this.engine.outSlot;
    const p = this.m._lua_tolstring(L, idx, out);
    if (p === 0) return null;
    return this.m.HEAPU8.slice(p, p + this.m.HEAPU32[out >> 2]);
  }

  /** luaL_tolstring: Lua's own tostring (numbers exactly as 5.2 prints them); leaves the stack as it was. */
  toDisplay(L: Ptr, idx: number): string {
    const out = this.engine.outSlot;
    const p = this.m._luaL_tolstring(L, idx, out);
    const s = Buffer.from(this.m.HEAPU8.subarray(p, p + this.m.HEAPU32[out >> 2])).toString('latin1');
    this.m._lua_settop(L, -2);
    return s;
  }

  readInt(p: Ptr): number {
    return this.m.HEAP32[p >> 2];
  }
}
