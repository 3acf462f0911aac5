// One instantiated Lua WASM module per thread: the shared callbacks (hook, host-function dispatch), the states built on it and their memory accounts.
import { LUA_DEBUG, upvalueIndex } from './luaConstants';
import { instantiateLuaModule, LuaWasmModule, Ptr } from './luaModule';
import { LuaState } from './luaState';

/** A JS function callable from Lua. Returns how many results it left on the stack; throw HostError to raise a Lua error at the caller's line. */
export type HostFunction = (L: Ptr) => number;

/** Raised by a host function: becomes a Lua error prefixed with the calling Lua line. `api` marks misuse of ns/ctxt. */
export class HostError extends Error {
  constructor(message: string, readonly kind: 'api' | 'runtime' = 'runtime') {
    super(message);
  }
}

/**
 * Per-state memory accounting, kept by the C allocator (runtime/lua/native/cappedAlloc.c) in a struct in WASM
 * memory: four 32-bit words, used / limit / refused / protectedDepth. Read through the current heap view, which
 * memory growth replaces.
 */
export class MemoryAccount {
  /** The account's first 32-bit word in the heap views. */
  private readonly word: number;

  constructor(private readonly lua: LuaWasmModule, readonly ptr: Ptr, limit: number) {
    this.word = ptr >> 2;
    lua.HEAPU32.set([0, limit, 0, 0], this.word);
  }

  /** Bytes Lua holds now. */
  get used(): number {
    return this.lua.HEAPU32[this.word];
  }

  get limit(): number {
    return this.lua.HEAPU32[this.word + 1];
  }

  /** The allocator refused a request since the flag was last cleared. */
  get refused(): boolean {
    return this.lua.HEAP32[this.word + 2] !== 0;
  }

  set refused(value: boolean) {
    this.lua.HEAP32[this.word + 2] = value ? 1 : 0;
  }

  /** The cap applies only while > 0 (inside lua_pcallk): outside a protected call a refusal would abort the instance. */
  get protectedDepth(): number {
    return this.lua.HEAP32[this.word + 3];
  }

  set protectedDepth(value: number) {
    this.lua.HEAP32[this.word + 3] = value;
  }
}

interface HostEntry {
  fn: HostFunction;
  onApiError: () => void;
}

/** Emscripten's longjmp (a Lua error unwinding through JS) is thrown as a number; it must pass through JS frames untouched. */
const isLuaUnwind = (e: unknown): boolean => typeof e === 'number';
/** A WebAssembly.RuntimeError (trap or abort): the instance is unusable and must not be papered over. */
const isWasmTrap = (e: unknown): boolean => e instanceof Error && e.constructor.name === 'RuntimeError';
/** sizeof(protoext_account) in cappedAlloc.c. */
const ACCOUNT_BYTES = 16;

export class LuaEngine {
  private static current: Promise<LuaEngine> | undefined;

  /** The engine of this thread (a worker_thread gets its own instance). */
  static shared(): Promise<LuaEngine> {
    if (!LuaEngine.current) {
      const loading = instantiateLuaModule().then((lua) => new LuaEngine(lua));
      // A failed load (engine not built yet) is retried by the next caller.
      loading.catch(() => { if (LuaEngine.current === loading) LuaEngine.current = undefined; });
      LuaEngine.current = loading;
    }
    return LuaEngine.current;
  }

  /** By the state's memory account address, which is also its allocator userdata (how a thread finds its state). */
  private readonly hookTargets = new Map<number, LuaState>();
  private readonly hostFunctions = new Map<number, HostEntry>();
  private nextHostId = 1;
  /** Reused buffer for bytes going into the VM (pushlstring copies them). */
  private scratch: Ptr = 0;
  private scratchSize = 0;
  /** size_t/int out-parameters. */
  readonly outSlot: Ptr;
  readonly hookPtr: Ptr;
  readonly dispatchPtr: Ptr;
  readonly encoder = new TextEncoder();

  constructor(readonly lua: LuaWasmModule) {
    this.outSlot = lua._malloc(16);
    this.hookPtr = lua.addFunction(this.hook, 'vii');
    this.dispatchPtr = lua.addFunction(this.dispatch, 'ii');
  }

  newState(memoryLimitBytes: number): LuaState {
    const lua = this.lua;
    const accountPtr = lua._malloc(ACCOUNT_BYTES);
    if (accountPtr === 0) throw new Error('lua_newstate failed: no WASM memory for the state\'s account');
    const account = new MemoryAccount(lua, accountPtr, memoryLimitBytes);
    const L = lua._protoext_newstate(accountPtr);
    if (L === 0) {
      lua._free(accountPtr);
      throw new Error(`lua_newstate failed (memory limit ${memoryLimitBytes} bytes)`);
    }
    const state = new LuaState(this, L, accountPtr, account);
    this.hookTargets.set(accountPtr, state);
    return state;
  }

  /** Called by LuaState.close after lua_close (nothing of the state uses its account any more). `id` is the account's address. */
  forgetState(id: number): void {
    this.hookTargets.delete(id);
    this.lua._free(id);
  }

  registerHostFunction(fn: HostFunction, onApiError: () => void): number {
    const id = this.nextHostId++;
    this.hostFunctions.set(id, { fn, onApiError });
    return id;
  }

  unregisterHostFunction(id: number): void {
    this.hostFunctions.delete(id);
  }

  /** Copies bytes into wasm memory and returns their address (valid until the next call). */
  stage(bytes: Uint8Array): Ptr {
    const p = this.reserve(bytes.length);
    this.lua.HEAPU8.set(bytes, p);
    return p;
  }

  /** The scratch buffer, at least `size` bytes (valid until the next call; read HEAPU8 after it, a malloc may grow memory). */
  private reserve(size: number): Ptr {
    if (size > this.scratchSize) {
      if (this.scratch) this.lua._free(this.scratch);
      this.scratchSize = Math.max(size, 2 * this.scratchSize, 1024);
      this.scratch = this.lua._malloc(this.scratchSize);
    }
    return this.scratch;
  }

  /** The state a thread of any of our states belongs to: every thread shares its state's allocator userdata (the account). */
  stateIdOf(L: Ptr): number {
    this.lua._lua_getallocf(L, this.outSlot);
    return this.lua.HEAP32[this.outSlot >> 2];
  }

  private readonly hook = (L: Ptr, ar: Ptr): void => {
    const state = this.hookTargets.get(this.stateIdOf(L));
    state?.onHook(L, ar, this.lua.HEAP32[(ar + LUA_DEBUG.event) >> 2]);
  };

  private readonly dispatch = (L: Ptr): number => {
    const lua = this.lua;
    const entry = this.hostFunctions.get(lua._lua_tointegerx(L, upvalueIndex(1), 0));
    if (!entry) {
      this.pushUtf8(L, 'host function called after its state was closed');
      return lua._lua_error(L);
    }
    let message: string;
    try {
      return entry.fn(L);
    } catch (e) {
      if (isLuaUnwind(e) || isWasmTrap(e)) throw e;
      if (e instanceof HostError && e.kind === 'api') entry.onApiError();
      message = e instanceof Error ? e.message : String(e);
    }
    // Raised outside the catch so the longjmp is not caught by it.
    lua._luaL_where(L, 1);
    this.pushUtf8(L, message);
    lua._lua_concat(L, 2);
    return lua._lua_error(L);
  };

  /**
   * ASCII text (what the LB pushes per connection: the vserver's name, addresses) goes straight into the scratch
   * buffer: TextEncoder.encode makes an ArrayBuffer per call, garbage that brings the next scavenge closer.
   */
  pushUtf8(L: Ptr, text: string): void {
    const n = text.length;
    const p = this.reserve(n);
    const heap = this.lua.HEAPU8;
    let i = 0;
    while (i < n && text.charCodeAt(i) < 0x80) {
      heap[p + i] = text.charCodeAt(i);
      i++;
    }
    if (i === n) {
      this.lua._lua_pushlstring(L, p, n);
      return;
    }
    const bytes = this.encoder.encode(text);
    this.lua._lua_pushlstring(L, this.stage(bytes), bytes.length);
  }

  /** Reads a Lua debug record (after lua_getstack/lua_getinfo or inside a hook) for the debugger. */
  readDebugRecord(ar: Ptr): DebugRecord {
    const lua = this.lua;
    const str = (offset: number): string | null => {
      const p = lua.HEAPU32[(ar + offset) >> 2];
      return p === 0 ? null : lua.UTF8ToString(p);
    };
    return {
      event: lua.HEAP32[(ar + LUA_DEBUG.event) >> 2],
      name: str(LUA_DEBUG.name),
      namewhat: str(LUA_DEBUG.namewhat),
      what: str(LUA_DEBUG.what),
      source: str(LUA_DEBUG.source),
      currentLine: lua.HEAP32[(ar + LUA_DEBUG.currentline) >> 2],
      lineDefined: lua.HEAP32[(ar + LUA_DEBUG.linedefined) >> 2],
      lastLineDefined: lua.HEAP32[(ar + LUA_DEBUG.lastlinedefined) >> 2],
      shortSrc: lua.UTF8ToString(ar + LUA_DEBUG.shortSrc, 60),
    };
  }
}

/** The readable fields of struct lua_Debug (fill them with lua_getinfo first). */
export interface DebugRecord {
  event: number;
  name: string | null;
  namewhat: string | null;
  what: string | null;
  source: string | null;
  currentLine: number;
  lineDefined: number;
  lastLineDefined: number;
  shortSrc: string;
}
