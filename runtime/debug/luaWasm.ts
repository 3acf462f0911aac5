// Loads the Lua 5.2.4 WASM build for the debugger and gives typed access to the raw C API functions it uses.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

type Ptr = number;

/** The subset of the emscripten module the debug VM calls; names are the C symbols with emscripten's `_` prefix. */
export interface LuaWasm {
  HEAPU8: Uint8Array;
  HEAP32: Int32Array;
  addFunction(fn: (...args: number[]) => number | void, signature: string): number;
  _malloc(size: number): Ptr;
  _free(ptr: Ptr): void;
  _luaL_newstate(): Ptr;
  _luaL_openlibs(L: Ptr): void;
  _lua_close(L: Ptr): void;
  _luaL_loadbufferx(L: Ptr, buf: Ptr, size: number, name: Ptr, mode: Ptr): number;
  _lua_pcallk(L: Ptr, nargs: number, nresults: number, errfunc: number, ctx: number, k: Ptr): number;
  _lua_gettop(L: Ptr): number;
  _lua_settop(L: Ptr, idx: number): void;
  _lua_pushvalue(L: Ptr, idx: number): void;
  _lua_type(L: Ptr, idx: number): number;
  _lua_tolstring(L: Ptr, idx: number, len: Ptr): Ptr;
  _luaL_tolstring(L: Ptr, idx: number, len: Ptr): Ptr;
  _lua_tonumberx(L: Ptr, idx: number, isnum: Ptr): number;
  _lua_toboolean(L: Ptr, idx: number): number;
  _lua_topointer(L: Ptr, idx: number): Ptr;
  _lua_pushlstring(L: Ptr, s: Ptr, len: number): Ptr;
  _lua_pushnumber(L: Ptr, n: number): void;
  _lua_pushnil(L: Ptr): void;
  _lua_pushboolean(L: Ptr, b: number): void;
  _lua_pushcclosure(L: Ptr, fn: number, n: number): void;
  _lua_createtable(L: Ptr, narr: number, nrec: number): void;
  _lua_setfield(L: Ptr, idx: number, k: Ptr): void;
  _lua_getfield(L: Ptr, idx: number, k: Ptr): void;
  _lua_rawgeti(L: Ptr, idx: number, n: number): void;
  _lua_rawset(L: Ptr, idx: number): void;
  _lua_next(L: Ptr, idx: number): number;
  _lua_setmetatable(L: Ptr, idx: number): number;
  _lua_getmetatable(L: Ptr, idx: number): number;
  _lua_error(L: Ptr): number;
  _luaL_ref(L: Ptr, t: number): number;
  _luaL_unref(L: Ptr, t: number, ref: number): void;
  _luaL_traceback(L: Ptr, L1: Ptr, msg: Ptr, level: number): void;
  _lua_sethook(L: Ptr, fn: number, mask: number, count: number): number;
  _lua_getstack(L: Ptr, level: number, ar: Ptr): number;
  _lua_getinfo(L: Ptr, what: Ptr, ar: Ptr): number;
  _lua_getlocal(L: Ptr, ar: Ptr, n: number): Ptr;
  _lua_setlocal(L: Ptr, ar: Ptr, n: number): Ptr;
  _lua_getupvalue(L: Ptr, funcindex: number, n: number): Ptr;
  _lua_setupvalue(L: Ptr, funcindex: number, n: number): Ptr;
}

type Factory = (opts: { wasmBinary: Uint8Array }) => Promise<LuaWasm>;

export const LUA_REGISTRYINDEX = -1001000;
export const LUA_RIDX_GLOBALS = 2;
export const LUA_MULTRET = -1;
export const LUA_TNIL = 0;
export const LUA_TBOOLEAN = 1;
export const LUA_TNUMBER = 3;
export const LUA_TSTRING = 4;
export const LUA_TTABLE = 5;
export const LUA_TFUNCTION = 6;
export const LUA_TYPE_NAMES = ['nil', 'boolean', 'userdata', 'number', 'string', 'table', 'function', 'userdata', 'thread'];
export const LUA_MASKLINE = 1 << 2;
export const LUA_MASKCOUNT = 1 << 3;

/** lua_Debug on wasm32 (Lua 5.2, LUA_IDSIZE 60): byte offsets of the fields the debugger reads. */
export const AR = { event: 0, name: 4, what: 12, source: 16, currentline: 20, linedefined: 24, lastlinedefined: 28, size: 104 } as const;

/** Where lua52.js/.wasm may be: beside the bundle (dist/), the repo's dist/ from out/, or the build cache. */
export function luaWasmCandidates(baseDir: string): string[] {
  const cache = process.env.PROTOEXT_CACHE || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'protoext-studio');
  return [baseDir, join(baseDir, '..', '..', '..', 'dist'), join(baseDir, '..', '..', 'dist'), join(cache, 'lua-wasm')];
}

export async function loadLuaWasm(baseDir: string): Promise<LuaWasm> {
  const dir = luaWasmCandidates(baseDir).find((d) => existsSync(join(d, 'lua52.js')) && existsSync(join(d, 'lua52.wasm')));
  if (!dir) throw new Error(`lua52.js/lua52.wasm not found near ${baseDir}; run "npm run build"`);
  // A runtime path: the bundler must not inline the emscripten loader.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const factory = require(join(dir, 'lua52.js')) as Factory;
  // The generated loader would fetch() the .wasm by path, which fails on Node >= 18.
  return factory({ wasmBinary: readFileSync(join(dir, 'lua52.wasm')) });
}

/** Small helpers over the heap: binary-safe strings in and out, C strings for names. */
export class LuaHeap {
  private readonly cstrings = new Map<string, Ptr>();
  readonly scratch: Ptr;
  constructor(readonly m: LuaWasm) {
    this.scratch = m._malloc(16);
  }

  /** A NUL-terminated C string kept for the life of the VM (names, field keys, getinfo options). */
  cstr(s: string): Ptr {
    let p = this.cstrings.get(s);
    if (p === undefined) {
      const bytes = Buffer.from(s + '\0', 'utf8');
      p = this.m._malloc(bytes.length);
      this.m.HEAPU8.set(bytes, p);
      this.cstrings.set(s, p);
    }
    return p;
  }

  readCString(p: Ptr): string {
    if (p === 0) return '';
    const heap = this.m.HEAPU8;
    let end = p;
    while (heap[end] !== 0) end++;
    return Buffer.from(heap.subarray(p, end)).toString('utf8');
  }

  pushBytes(L: Ptr, bytes: Uint8Array): void {
    const p = this.m._malloc(Math.max(1, bytes.length));
    this.m.HEAPU8.set(bytes, p);
    this.m._lua_pushlstring(L, p, bytes.length);
    this.m._free(p);
  }

  pushString(L: Ptr, s: string): void {
    this.pushBytes(L, Buffer.from(s, 'utf8'));
  }

  /** The bytes of the string (or number) at idx, or null for other types. */
  toBytes(L: Ptr, idx: number): Uint8Array | null {
    const p = this.m._lua_tolstring(L, idx, this.scratch);
    if (p === 0) return null;
    const len = this.m.HEAP32[this.scratch >> 2];
    return this.m.HEAPU8.slice(p, p + len);
  }

  /** luaL_tolstring: Lua's own tostring (numbers formatted exactly as 5.2 does); pushes nothing net. */
  toDisplay(L: Ptr, idx: number): string {
    const p = this.m._luaL_tolstring(L, idx, this.scratch);
    const len = this.m.HEAP32[this.scratch >> 2];
    const s = Buffer.from(this.m.HEAPU8.subarray(p, p + len)).toString('latin1');
    this.m._lua_settop(L, -2);
    return s;
  }

  readInt(p: Ptr): number {
    return this.m.HEAP32[p >> 2];
  }
}
