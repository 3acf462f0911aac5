// Lua 5.2 C API constants and the wasm32 layout of lua_Debug, as compiled by scripts/build-lua-wasm.mjs.

export const LUA_MULTRET = -1;
/** -LUAI_MAXSTACK - 1000 with LUAI_MAXSTACK = 1,000,000 (32-bit int). */
export const LUA_REGISTRYINDEX = -1_001_000;
export const LUA_RIDX_GLOBALS = 2;
export const upvalueIndex = (i: number): number => LUA_REGISTRYINDEX - i;

export const LUA_OK = 0;
export const LUA_YIELD = 1;
export const LUA_ERRRUN = 2;
export const LUA_ERRSYNTAX = 3;
export const LUA_ERRMEM = 4;
export const LUA_ERRGCMM = 5;
export const LUA_ERRERR = 6;

export const LUA_TNONE = -1;
export const LUA_TNIL = 0;
export const LUA_TBOOLEAN = 1;
export const LUA_TLIGHTUSERDATA = 2;
export const LUA_TNUMBER = 3;
export const LUA_TSTRING = 4;
export const LUA_TTABLE = 5;
export const LUA_TFUNCTION = 6;
export const LUA_TUSERDATA = 7;
export const LUA_TTHREAD = 8;

export const LUA_HOOKCALL = 0;
export const LUA_HOOKRET = 1;
export const LUA_HOOKLINE = 2;
export const LUA_HOOKCOUNT = 3;
export const LUA_HOOKTAILCALL = 4;
export const LUA_MASKCALL = 1 << LUA_HOOKCALL;
export const LUA_MASKRET = 1 << LUA_HOOKRET;
export const LUA_MASKLINE = 1 << LUA_HOOKLINE;
export const LUA_MASKCOUNT = 1 << LUA_HOOKCOUNT;

export const LUA_GCCOLLECT = 2;
export const LUA_GCCOUNT = 3;
export const LUA_GCCOUNTB = 4;

export const LUA_IDSIZE = 60;

/** Byte offsets of struct lua_Debug on wasm32 (4-byte ints and pointers). */
export const LUA_DEBUG = {
  event: 0,
  name: 4,
  namewhat: 8,
  what: 12,
  source: 16,
  currentline: 20,
  linedefined: 24,
  lastlinedefined: 28,
  nups: 32,
  nparams: 33,
  isvararg: 34,
  istailcall: 35,
  shortSrc: 36,
  /** Whole struct, private CallInfo* included; allocate at least this much. */
  size: 36 + LUA_IDSIZE + 4,
} as const;
