// Finds and instantiates the genuine Lua 5.2.4 WASM build (lua52.js + lua52.wasm) and types its raw C API.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** Pointers and lua_State* are wasm32 addresses (numbers). */
export type Ptr = number;

/**
 * The raw C API exported by scripts/build-lua-wasm.mjs (every lua_*, luaL_*, luaopen_* of the headers).
 * Only what the runtime and the debugger call is typed; the names are the C names with emscripten's `_`.
 */
export interface LuaWasmModule {
  /** Views are replaced when memory grows: always read them from the module, never keep them. */
  readonly HEAPU8: Uint8Array;
  readonly HEAP32: Int32Array;
  readonly HEAPU32: Uint32Array;
  readonly HEAPF64: Float64Array;
  addFunction(fn: (...args: number[]) => number | void, signature: string): Ptr;
  removeFunction(fnPtr: Ptr): void;
  allocateUTF8(s: string): Ptr;
  UTF8ToString(ptr: Ptr, maxBytes?: number): string;
  _malloc(size: number): Ptr;
  _free(ptr: Ptr): void;

  /** lua_newstate with the capped allocator of runtime/lua/native/cappedAlloc.c; `account` is its 16-byte account. */
  _protoext_newstate(account: Ptr): Ptr;
  _lua_close(L: Ptr): void;
  _lua_newthread(L: Ptr): Ptr;
  _lua_atpanic(L: Ptr, panicf: Ptr): Ptr;
  _lua_getallocf(L: Ptr, udOut: Ptr): Ptr;
  _lua_gettop(L: Ptr): number;
  _lua_settop(L: Ptr, idx: number): void;
  _lua_absindex(L: Ptr, idx: number): number;
  _lua_pushvalue(L: Ptr, idx: number): void;
  _lua_remove(L: Ptr, idx: number): void;
  _lua_insert(L: Ptr, idx: number): void;
  _lua_replace(L: Ptr, idx: number): void;
  _lua_checkstack(L: Ptr, n: number): number;
  _lua_type(L: Ptr, idx: number): number;
  _lua_typename(L: Ptr, tp: number): Ptr;
  _lua_tonumberx(L: Ptr, idx: number, isnumOut: Ptr): number;
  _lua_tointegerx(L: Ptr, idx: number, isnumOut: Ptr): number;
  _lua_toboolean(L: Ptr, idx: number): number;
  _lua_topointer(L: Ptr, idx: number): Ptr;
  _lua_tolstring(L: Ptr, idx: number, lenOut: Ptr): Ptr;
  _lua_rawlen(L: Ptr, idx: number): number;
  _lua_rawequal(L: Ptr, a: number, b: number): number;
  _lua_pushnil(L: Ptr): void;
  _lua_pushnumber(L: Ptr, n: number): void;
  _lua_pushinteger(L: Ptr, n: number): void;
  _lua_pushlstring(L: Ptr, s: Ptr, len: number): Ptr;
  _lua_pushstring(L: Ptr, s: Ptr): Ptr;
  _lua_pushcclosure(L: Ptr, fn: Ptr, nUpvalues: number): void;
  _lua_pushboolean(L: Ptr, b: number): void;
  _lua_pushlightuserdata(L: Ptr, p: Ptr): void;
  _lua_getglobal(L: Ptr, name: Ptr): void;
  _lua_setglobal(L: Ptr, name: Ptr): void;
  _lua_gettable(L: Ptr, idx: number): void;
  _lua_getfield(L: Ptr, idx: number, k: Ptr): void;
  _lua_rawget(L: Ptr, idx: number): void;
  _lua_rawgeti(L: Ptr, idx: number, n: number): void;
  _lua_createtable(L: Ptr, narr: number, nrec: number): void;
  _lua_getmetatable(L: Ptr, idx: number): number;
  _lua_settable(L: Ptr, idx: number): void;
  _lua_setfield(L: Ptr, idx: number, k: Ptr): void;
  _lua_rawset(L: Ptr, idx: number): void;
  _lua_rawseti(L: Ptr, idx: number, n: number): void;
  _lua_setmetatable(L: Ptr, idx: number): number;
  _lua_callk(L: Ptr, nargs: number, nresults: number, ctx: number, k: Ptr): void;
  _lua_pcallk(L: Ptr, nargs: number, nresults: number, errfunc: number, ctx: number, k: Ptr): number;
  _lua_error(L: Ptr): number;
  _lua_concat(L: Ptr, n: number): void;
  _lua_next(L: Ptr, idx: number): number;
  _lua_gc(L: Ptr, what: number, data: number): number;
  _lua_getstack(L: Ptr, level: number, ar: Ptr): number;
  _lua_getinfo(L: Ptr, what: Ptr, ar: Ptr): number;
  _lua_getlocal(L: Ptr, ar: Ptr, n: number): Ptr;
  _lua_setlocal(L: Ptr, ar: Ptr, n: number): Ptr;
  _lua_getupvalue(L: Ptr, funcindex: number, n: number): Ptr;
  _lua_setupvalue(L: Ptr, funcindex: number, n: number): Ptr;
  _lua_sethook(L: Ptr, fn: Ptr, mask: number, count: number): number;
  _lua_gethookmask(L: Ptr): number;

  _luaL_loadbufferx(L: Ptr, buff: Ptr, size: number, name: Ptr, mode: Ptr): number;
  _luaL_traceback(L: Ptr, L1: Ptr, msg: Ptr, level: number): void;
  _luaL_tolstring(L: Ptr, idx: number, lenOut: Ptr): Ptr;
  _luaL_where(L: Ptr, level: number): void;
  _luaL_ref(L: Ptr, t: number): number;
  _luaL_unref(L: Ptr, t: number, ref: number): void;
  _luaL_requiref(L: Ptr, modname: Ptr, openf: Ptr, glb: number): void;

  _luaopen_base(L: Ptr): number;
  _luaopen_string(L: Ptr): number;
  _luaopen_table(L: Ptr): number;
  _luaopen_math(L: Ptr): number;
  _luaopen_bit32(L: Ptr): number;
  _luaopen_coroutine(L: Ptr): number;
}

type ModuleFactory = (options: { wasmBinary: Uint8Array }) => Promise<LuaWasmModule>;

export class LuaEngineMissingError extends Error {}

const FILES = ['lua52.js', 'lua52.wasm'] as const;

/**
 * The committed engine (runtime/lua/wasm, see its PROVENANCE.json) as seen from compiled code that is not bundled:
 * out/runtime/lua/ when tests run, so three levels up is the repository.
 */
export function committedLuaWasmDir(): string {
  return join(__dirname, '..', '..', '..', 'runtime', 'lua', 'wasm');
}

/** Beside the running bundle (dist/, inside the VSIX) first, then the committed engine; PROTOEXT_LUA_WASM_DIR overrides both. */
export function findLuaWasmDir(): string {
  const candidates = [process.env.PROTOEXT_LUA_WASM_DIR, __dirname, committedLuaWasmDir()].filter((d): d is string => !!d);
  const found = candidates.find((dir) => FILES.every((f) => existsSync(join(dir, f))));
  if (!found) {
    throw new LuaEngineMissingError(
      `The Lua 5.2 engine (lua52.js + lua52.wasm) was not found in ${candidates.join(', ')}. ` +
      'In a clone it is committed under runtime/lua/wasm: restore it with "git checkout -- runtime/lua/wasm", then "npm run build". ' +
      'In an installed extension it ships in dist/: reinstall the VSIX.',
    );
  }
  return found;
}

/** Instantiates a fresh WASM instance (one per thread; a worker gets its own). The generated loader's own fetch of the .wasm fails on Node >= 18, so the bytes are passed in. */
export async function instantiateLuaModule(dir: string = findLuaWasmDir()): Promise<LuaWasmModule> {
  const load = createRequire(__filename);
  const factory = load(join(dir, 'lua52.js')) as ModuleFactory;
  return factory({ wasmBinary: readFileSync(join(dir, 'lua52.wasm')) });
}
