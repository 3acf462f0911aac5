// One lua_State with a memory cap and an instruction budget: binary-safe values in and out, every call protected.
import {
  LUA_ERRMEM, LUA_HOOKCOUNT, LUA_MASKCOUNT, LUA_OK, LUA_REGISTRYINDEX, LUA_TNUMBER, LUA_TSTRING,
} from './luaConstants';
import type { HostFunction, LuaEngine, MemoryAccount } from './luaEngine';
import type { LuaWasmModule, Ptr } from './luaModule';

/** Why a protected call failed, before it is tied to a user's file (see scriptError.ts). */
export interface LuaFailure {
  status: number;
  /** The error value as text (Lua's `chunk:line: message` when raised with a position). */
  message: string;
  traceback: string;
  budgetExhausted: boolean;
  memoryRefused: boolean;
  apiMisuse: boolean;
}

export type CallOutcome = { ok: true } | { ok: false; failure: LuaFailure };

/** Line/call/return hooks for a debugger; the count hook stays reserved for the instruction budget. */
export type DebugHook = (L: Ptr, ar: Ptr, event: number) => void;

/** Called from the message handler of a failing call, before the stack unwinds (the error value is at index 1 of L). */
export type ErrorHook = (L: Ptr) => void;

const utf8 = new TextDecoder('utf-8');

/** Instructions between two budget checks (a JS call each: about 1% of a tight loop). */
const BUDGET_SLICE = 1000;

export class LuaState {
  /** Lua VM instructions one call() may run; re-armed at every call. */
  instructionBudget = 1_000_000;
  private debugHook: DebugHook | null = null;
  /** A debugger's stop on error() with the failing frames still live; null on the LB (the handler then costs nothing more). */
  errorHook: ErrorHook | null = null;
  private debugMask = 0;
  private budgetExhausted = false;
  private instructionsSpent = 0;
  private hookPeriod = BUDGET_SLICE;
  private apiMisuse = false;
  private lastTraceback = '';
  private readonly hostIds: number[] = [];
  private readonly tracebackRef: number;
  private closed = false;
  readonly lua: LuaWasmModule;

  /** `id`: the address of the state's memory account, which is also its allocator userdata. */
  constructor(readonly engine: LuaEngine, readonly L: Ptr, readonly id: number, readonly memory: MemoryAccount) {
    this.lua = engine.lua;
    this.pushFunction(this.messageHandler);
    this.tracebackRef = this.ref();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** The running call spent its instruction budget (every further instruction raises until the call returns). */
  get budgetSpent(): boolean {
    return this.budgetExhausted;
  }

  pushBytes(bytes: Uint8Array): void {
    this.lua._lua_pushlstring(this.L, bytes.length ? this.engine.stage(bytes) : 0, bytes.length);
  }

  pushString(text: string): void {
    this.engine.pushUtf8(this.L, text);
  }

  /** Pushes a JS function as a Lua C closure; it lives as long as the state. */
  pushFunction(fn: HostFunction): void {
    const id = this.engine.registerHostFunction(fn, () => { this.apiMisuse = true; });
    this.hostIds.push(id);
    this.lua._lua_pushinteger(this.L, id);
    this.lua._lua_pushcclosure(this.L, this.engine.dispatchPtr, 1);
  }

  /** The bytes of a string (or number, converted in place as Lua does) at idx; null for other types. Works on any thread of this state. */
  toBytes(idx: number, L: Ptr = this.L): Uint8Array | null {
    const t = this.lua._lua_type(L, idx);
    if (t !== LUA_TSTRING && t !== LUA_TNUMBER) return null;
    const out = this.engine.outSlot;
    const p = this.lua._lua_tolstring(L, idx, out);
    const len = this.lua.HEAPU32[out >> 2];
    return this.lua.HEAPU8.slice(p, p + len);
  }

  /** Any value as text, through Lua's tostring rules (luaL_tolstring); leaves the stack as it was. */
  toDisplayString(idx: number, L: Ptr = this.L): string {
    const out = this.engine.outSlot;
    const p = this.lua._luaL_tolstring(L, idx, out);
    const text = utf8.decode(this.lua.HEAPU8.subarray(p, p + this.lua.HEAPU32[out >> 2]));
    this.lua._lua_settop(L, -2);
    return text;
  }

  /** Pops the top value into the registry and returns its reference. */
  ref(): number {
    return this.lua._luaL_ref(this.L, LUA_REGISTRYINDEX);
  }

  pushRef(ref: number): void {
    this.lua._lua_rawgeti(this.L, LUA_REGISTRYINDEX, ref);
  }

  unref(ref: number): void {
    if (!this.closed) this.lua._luaL_unref(this.L, LUA_REGISTRYINDEX, ref);
  }

  top(): number {
    return this.lua._lua_gettop(this.L);
  }

  setTop(idx: number): void {
    this.lua._lua_settop(this.L, idx);
  }

  /** Compiles a chunk (text only: binary chunks are refused) and leaves it on the stack when it loads. */
  load(source: Uint8Array, chunkName: string): CallOutcome {
    const lua = this.lua;
    const name = lua.allocateUTF8(chunkName);
    const mode = lua.allocateUTF8('t');
    const status = lua._luaL_loadbufferx(this.L, source.length ? this.engine.stage(source) : 0, source.length, name, mode);
    lua._free(name);
    lua._free(mode);
    if (status === LUA_OK) return { ok: true };
    return { ok: false, failure: this.popFailure(status, '') };
  }

  /**
   * Calls the function below `nargs` arguments under lua_pcallk with a traceback handler, the
   * instruction budget and the memory cap armed. Results stay on the stack on success.
   */
  call(nargs: number, nresults: number): CallOutcome {
    const lua = this.lua;
    const L = this.L;
    const fnIndex = lua._lua_gettop(L) - nargs;
    this.pushRef(this.tracebackRef);
    lua._lua_insert(L, fnIndex);
    this.budgetExhausted = false;
    this.apiMisuse = false;
    this.memory.refused = false;
    this.lastTraceback = '';
    this.armHook();
    // The cap is only enforced inside protected calls: an allocation refused outside one would abort the instance.
    this.memory.protectedDepth++;
    let status: number;
    try {
      status = lua._lua_pcallk(L, nargs, nresults, fnIndex, 0, 0);
    } finally {
      this.memory.protectedDepth--;
    }
    if (status === LUA_OK) {
      lua._lua_remove(L, fnIndex);
      return { ok: true };
    }
    const failure = this.popFailure(status, this.lastTraceback);
    lua._lua_settop(L, fnIndex - 1);
    return { ok: false, failure };
  }

  /** Marks the running call's failure as misuse of the ns API (kind `api`); for host functions and the ns prelude. */
  markApiMisuse(): void {
    this.apiMisuse = true;
  }

  /** A debugger's line/call/return hook (mask of LUA_MASKLINE | LUA_MASKCALL | LUA_MASKRET), or null to remove it. */
  setDebugHook(hook: DebugHook | null, mask = 0): void {
    this.debugHook = hook;
    this.debugMask = hook ? mask & ~LUA_MASKCOUNT : 0;
    this.armHook();
  }

  /** Called by the engine for every hook event of this state's threads. */
  onHook(L: Ptr, ar: Ptr, event: number): void {
    if (event === LUA_HOOKCOUNT && !this.budgetExhausted) {
      this.instructionsSpent += this.hookPeriod;
      if (this.instructionsSpent < this.instructionBudget) return;
    }
    if (event === LUA_HOOKCOUNT || this.budgetExhausted) {
      this.raiseBudgetExhausted(L);
      return;
    }
    this.debugHook?.(L, ar, event);
  }

  /** Once spent, every further instruction raises, so a script's own pcall cannot keep it running. */
  private raiseBudgetExhausted(L: Ptr): void {
    this.budgetExhausted = true;
    this.lua._lua_sethook(L, this.engine.hookPtr, this.debugMask | LUA_MASKCOUNT, 1);
    this.lua._luaL_where(L, 0);
    this.engine.pushUtf8(L, `instruction budget exhausted: more than ${this.instructionBudget} Lua instructions in one callback`);
    this.lua._lua_concat(L, 2);
    this.lua._lua_error(L);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.lua._lua_close(this.L);
    for (const id of this.hostIds) this.engine.unregisterHostFunction(id);
    this.engine.forgetState(this.id);
  }

  /**
   * The count hook fires every BUDGET_SLICE instructions and the budget is summed here, per state:
   * a coroutine starts with a fresh hook count, so one count hook set to the whole budget could be
   * dodged by spreading the work over many coroutines.
   */
  private armHook(): void {
    this.instructionsSpent = 0;
    this.hookPeriod = Math.max(1, Math.min(this.instructionBudget, BUDGET_SLICE));
    this.lua._lua_sethook(this.L, this.engine.hookPtr, this.debugMask | LUA_MASKCOUNT, this.hookPeriod);
  }

  private popFailure(status: number, traceback: string): LuaFailure {
    const message = status === LUA_ERRMEM && this.lua._lua_type(this.L, -1) !== LUA_TSTRING
      ? 'not enough memory'
      : this.toDisplayString(-1);
    this.lua._lua_settop(this.L, -2);
    return {
      status, message, traceback,
      budgetExhausted: this.budgetExhausted,
      memoryRefused: status === LUA_ERRMEM || this.memory.refused,
      apiMisuse: this.apiMisuse,
    };
  }

  /** Message handler of every call(): keeps the message, records the traceback of the failing stack. */
  private readonly messageHandler = (L: Ptr): number => {
    const lua = this.lua;
    this.errorHook?.(L);
    lua._luaL_tolstring(L, 1, 0);
    lua._luaL_traceback(L, L, 0, 1);
    const out = this.engine.outSlot;
    const p = lua._lua_tolstring(L, -1, out);
    this.lastTraceback = utf8.decode(lua.HEAPU8.subarray(p, p + lua.HEAPU32[out >> 2]));
    lua._lua_settop(L, 2);
    return 1;
  };
}
