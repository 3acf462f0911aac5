// Reads a paused Lua state for the debugger: frames, locals, upvalues, globals, table children, evaluation and assignment in a frame.
import { LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS, LUA_TBOOLEAN, LUA_TNIL, LUA_TNUMBER, LUA_TSTRING, LUA_TTABLE } from '../lua/luaConstants';
import type { LuaWasmModule } from '../lua/luaModule';
import { NS_PRELUDE_CHUNK } from '../ns/nsPrelude';
import { AR, LUA_TYPE_NAMES, type LuaHeap } from './luaHeap';
import type { FrameView, LuaValueView } from './workerProtocol';

export const EVAL_CHUNK = '=[protoext eval]';

/** Quotes bytes the way a Lua literal would, so binary ClientIDs stay readable and exact. */
export function luaQuote(bytes: Uint8Array): string {
  let s = '"';
  for (const b of bytes) {
    if (b === 0x22) s += '\\"';
    else if (b === 0x5c) s += '\\\\';
    else if (b === 0x0a) s += '\\n';
    else if (b >= 0x20 && b < 0x7f) s += String.fromCharCode(b);
    else s += '\\' + b.toString(10);
  }
  return s + '"';
}

export class VmInspector {
  private readonly m: LuaWasmModule;
  /** Registry references handed out at this stop; released on resume so tables can be collected. */
  private handles: number[] = [];
  readonly ar: number;

  /** The thread being inspected: the state's main thread, or the coroutine a hook fired on. */
  constructor(private readonly heap: LuaHeap, public L: number, private readonly isUserSource: (source: number) => boolean) {
    this.m = heap.m;
    this.ar = this.m._malloc(AR.size);
  }

  releaseHandles(): void {
    for (const h of this.handles) this.m._luaL_unref(this.L, LUA_REGISTRYINDEX, h);
    this.handles = [];
  }

  /** Source pointer of the function at `level`, or 0 when the level does not exist. */
  private frameAt(level: number, what: string): boolean {
    if (this.m._lua_getstack(this.L, level, this.ar) === 0) return false;
    this.m._lua_getinfo(this.L, this.heap.cstr(what), this.ar);
    return true;
  }

  isUserFrame(level: number): boolean {
    return this.frameAt(level, 'S') && this.isUserSource(this.heap.readInt(this.ar + AR.source));
  }

  /** The current line of the innermost user frame, or null when no user code is on the stack. */
  userLine(): number | null {
    for (let level = 0; this.frameAt(level, 'Sl'); level++) {
      if (this.isUserSource(this.heap.readInt(this.ar + AR.source))) return this.heap.readInt(this.ar + AR.currentline);
    }
    return null;
  }

  stack(): FrameView[] {
    const frames: FrameView[] = [];
    for (let level = 0; this.frameAt(level, 'Sln'); level++) {
      if (!this.isUserSource(this.heap.readInt(this.ar + AR.source))) continue;
      const namePtr = this.heap.readInt(this.ar + AR.name);
      const what = this.heap.readCString(this.heap.readInt(this.ar + AR.what));
      let name = namePtr !== 0 ? this.heap.readCString(namePtr) : what === 'main' ? 'main chunk' : `function@${this.heap.readInt(this.ar + AR.linedefined)}`;
      const line = this.heap.readInt(this.ar + AR.currentline);
      // Lua names a function after the caller's variable: the ns prelude calls every callback `handler`.
      if (this.calledByRuntime(level + 1)) name = 'on_data';
      frames.push({ level, name, line });
    }
    return frames;
  }

  private calledByRuntime(callerLevel: number): boolean {
    return this.frameAt(callerLevel, 'S') && this.heap.readCString(this.heap.readInt(this.ar + AR.source)) === NS_PRELUDE_CHUNK;
  }

  depth(): number {
    let d = 0;
    while (this.m._lua_getstack(this.L, d, this.ar) !== 0) d++;
    return d;
  }

  /** Describes the value on top of the stack and pops it. */
  viewTop(name: string): LuaValueView {
    const t = this.m._lua_type(this.L, -1);
    let value: string;
    let handle = 0;
    if (t === LUA_TSTRING) value = luaQuote(this.heap.toBytes(this.L, -1) ?? new Uint8Array());
    else if (t === LUA_TNUMBER || t === LUA_TBOOLEAN || t === LUA_TNIL) value = this.heap.toDisplay(this.L, -1);
    else if (t === LUA_TTABLE) {
      const stream = this.streamBytes();
      if (stream !== null) {
        this.m._lua_settop(this.L, -2);
        return { name, value: stream.bytes === null ? `ns.tcp.stream (no longer usable: ${stream.gone})` : `${luaQuote(stream.bytes)} (ns.tcp.stream, ${stream.bytes.length} bytes)`, type: 'ns.tcp.stream', handle: 0 };
      }
      // Never call __tostring here: a stream's __tostring would count as the script reading every byte.
      value = `table: 0x${this.m._lua_topointer(this.L, -1).toString(16)}`;
      this.m._lua_pushvalue(this.L, -1);
      handle = this.m._luaL_ref(this.L, LUA_REGISTRYINDEX);
      this.handles.push(handle);
    } else value = `${LUA_TYPE_NAMES[t] ?? 'value'}: 0x${this.m._lua_topointer(this.L, -1).toString(16)}`;
    this.m._lua_settop(this.L, -2);
    return { name, value, type: LUA_TYPE_NAMES[t] ?? 'unknown', handle };
  }

  /**
   * The table on top as an ns.tcp.stream (its metatable's __metatable says so): its bytes read raw, without calling a
   * method, so showing a stream (payload.data, a split's `message`) never counts as the script reading it. The
   * prelude keeps the bytes as the stream's one string value (its other values are numbers: offset, length, place in
   * payload.data), or false plus the reason once the stream is unusable. On the LB a split part is a view over the
   * whole payload; the debugger's VM records reads, and there split parts are copies, so the string is the stream's
   * own bytes. Null: not a stream.
   */
  private streamBytes(): { bytes: Uint8Array | null; gone: string } | null {
    if (this.m._lua_getmetatable(this.L, -1) === 0) return null;
    this.m._lua_getfield(this.L, -1, this.heap.cstr('__metatable'));
    const isStream = this.m._lua_type(this.L, -1) === LUA_TSTRING && Buffer.from(this.heap.toBytes(this.L, -1) ?? []).toString('latin1') === 'ns.tcp.stream';
    this.m._lua_settop(this.L, -3);
    if (!isStream) return null;
    const t = this.m._lua_absindex(this.L, -1);
    let text: Uint8Array | null = null;
    let dead = false;
    this.m._lua_pushnil(this.L);
    while (this.m._lua_next(this.L, t) !== 0) {
      const vt = this.m._lua_type(this.L, -1);
      if (vt === LUA_TSTRING) text = this.heap.toBytes(this.L, -1);
      else if (vt === LUA_TBOOLEAN && this.m._lua_toboolean(this.L, -1) === 0) dead = true;
      this.m._lua_settop(this.L, -2);
    }
    if (dead) return { bytes: null, gone: Buffer.from(text ?? []).toString('utf8') || 'used after ctxt:hold or after its on_data' };
    return { bytes: text ?? new Uint8Array(), gone: '' };
  }

  /** The bytes of the innermost string local whose name matches, in the first user frame (what the script extracted so far). */
  stringLocal(pattern: RegExp): Uint8Array | null {
    for (let level = 0; level < 64; level++) {
      if (this.m._lua_getstack(this.L, level, this.ar) === 0) return null;
      if (!this.isUserFrame(level)) continue;
      this.m._lua_getstack(this.L, level, this.ar);
      let found: Uint8Array | null = null;
      for (let n = 1; ; n++) {
        const p = this.m._lua_getlocal(this.L, this.ar, n);
        if (p === 0) break;
        if (pattern.test(this.heap.readCString(p)) && this.m._lua_type(this.L, -1) === LUA_TSTRING) found = this.heap.toBytes(this.L, -1);
        this.m._lua_settop(this.L, -2);
      }
      return found;
    }
    return null;
  }

  /** Locals visible at `level`, innermost shadowing outer ones as Lua resolves them. */
  locals(level: number): LuaValueView[] {
    const out: LuaValueView[] = [];
    if (this.m._lua_getstack(this.L, level, this.ar) === 0) return out;
    for (let n = 1; ; n++) {
      const p = this.m._lua_getlocal(this.L, this.ar, n);
      if (p === 0) break;
      const name = this.heap.readCString(p);
      if (name.startsWith('(')) { this.m._lua_settop(this.L, -2); continue; }
      const view = this.viewTop(name);
      const shadowed = out.findIndex((v) => v.name === name);
      if (shadowed >= 0) out.splice(shadowed, 1);
      out.push(view);
    }
    return out;
  }

  upvalues(level: number): LuaValueView[] {
    const out: LuaValueView[] = [];
    if (!this.frameAt(level, 'f')) return out;
    const fn = this.m._lua_gettop(this.L);
    for (let n = 1; ; n++) {
      const p = this.m._lua_getupvalue(this.L, fn, n);
      if (p === 0) break;
      const name = this.heap.readCString(p);
      if (name === '_ENV') { this.m._lua_settop(this.L, -2); continue; }
      out.push(this.viewTop(name));
    }
    this.m._lua_settop(this.L, fn - 1);
    return out;
  }

  /** The script's globals (the engine's sandbox), library tables last so the script's own globals come first. */
  globals(): LuaValueView[] {
    this.m._lua_rawgeti(this.L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
    const entries = this.tableEntries();
    const libs = new Set(['string', 'table', 'math', 'bit32', 'coroutine', '_G']);
    return [...entries.filter((e) => !libs.has(e.name) && e.type !== 'function'), ...entries.filter((e) => libs.has(e.name) || e.type === 'function')];
  }

  children(handle: number): LuaValueView[] {
    this.m._lua_rawgeti(this.L, LUA_REGISTRYINDEX, handle);
    return this.tableEntries();
  }

  /** Lists the table on top (pops it), keys sorted: numbers numerically, then names. */
  private tableEntries(): LuaValueView[] {
    const out: { key: string | number; view: LuaValueView }[] = [];
    const t = this.m._lua_gettop(this.L);
    this.m._lua_pushnil(this.L);
    while (this.m._lua_next(this.L, t) !== 0) {
      const kt = this.m._lua_type(this.L, -2);
      let key: string | number;
      if (kt === LUA_TNUMBER) key = this.m._lua_tonumberx(this.L, -2, 0);
      else if (kt === LUA_TSTRING) key = Buffer.from(this.heap.toBytes(this.L, -2) ?? []).toString('latin1');
      else key = `[${LUA_TYPE_NAMES[kt]}: 0x${this.m._lua_topointer(this.L, -2).toString(16)}]`;
      out.push({ key, view: this.viewTop(typeof key === 'number' ? `[${key}]` : key) });
    }
    this.m._lua_settop(this.L, t - 1);
    out.sort((a, b) => (typeof a.key === 'number' && typeof b.key === 'number' ? a.key - b.key : typeof a.key === 'number' ? -1 : typeof b.key === 'number' ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return out.map((e) => e.view);
  }

  /**
   * Runs `expression` with the frame's locals and upvalues in scope over the sandbox globals; leaves the value on top.
   * Returns an error message instead when it does not compile or raises.
   */
  evaluateToTop(level: number | null, expression: string): string | null {
    const base = this.m._lua_gettop(this.L);
    let status = this.load(`return ${expression}`);
    if (status !== 0) {
      this.m._lua_settop(this.L, base);
      status = this.load(expression);
      if (status !== 0) {
        const msg = this.heap.toDisplay(this.L, -1);
        this.m._lua_settop(this.L, base);
        return msg;
      }
    }
    this.pushFrameEnv(level);
    this.m._lua_setupvalue(this.L, -2, 1);
    if (this.m._lua_pcallk(this.L, 0, 1, 0, 0, 0) !== 0) {
      const msg = this.heap.toDisplay(this.L, -1);
      this.m._lua_settop(this.L, base);
      return msg;
    }
    return null;
  }

  private load(code: string): number {
    const bytes = Buffer.from(code, 'utf8');
    const p = this.m._malloc(bytes.length + 1);
    this.m.HEAPU8.set(bytes, p);
    const status = this.m._luaL_loadbufferx(this.L, p, bytes.length, this.heap.cstr(EVAL_CHUNK), this.heap.cstr('t'));
    this.m._free(p);
    return status;
  }

  private pushFrameEnv(level: number | null): void {
    this.m._lua_createtable(this.L, 0, 8);
    const env = this.m._lua_gettop(this.L);
    if (level !== null && this.frameAt(level, 'f')) {
      const fn = this.m._lua_gettop(this.L);
      for (let n = 1; ; n++) {
        const p = this.m._lua_getupvalue(this.L, fn, n);
        if (p === 0) break;
        const name = this.heap.readCString(p);
        if (name === '_ENV') this.m._lua_settop(this.L, -2);
        else this.m._lua_setfield(this.L, env, this.heap.cstr(name));
      }
      this.m._lua_settop(this.L, env);
      this.m._lua_getstack(this.L, level, this.ar);
      for (let n = 1; ; n++) {
        const p = this.m._lua_getlocal(this.L, this.ar, n);
        if (p === 0) break;
        const name = this.heap.readCString(p);
        if (name.startsWith('(')) this.m._lua_settop(this.L, -2);
        else this.m._lua_setfield(this.L, env, this.heap.cstr(name));
      }
    }
    this.m._lua_createtable(this.L, 0, 1);
    this.m._lua_rawgeti(this.L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
    this.m._lua_setfield(this.L, -2, this.heap.cstr('__index'));
    this.m._lua_setmetatable(this.L, env);
  }

  evaluate(level: number | null, expression: string): LuaValueView {
    const err = this.evaluateToTop(level, expression);
    if (err !== null) throw new Error(err);
    return this.viewTop(expression);
  }

  /** Truthiness of a breakpoint condition; a failing condition counts as true so the user sees the problem. */
  condition(level: number, expression: string): boolean {
    const err = this.evaluateToTop(level, expression);
    if (err !== null) return true;
    const truthy = this.m._lua_toboolean(this.L, -1) !== 0;
    this.m._lua_settop(this.L, -2);
    return truthy;
  }

  /** Replaces `{expr}` in a logpoint message with the values, as VS Code documents it. */
  interpolate(level: number, message: string): string {
    return message.replace(/\{([^}]+)\}/g, (_m, expr: string) => {
      const err = this.evaluateToTop(level, expr);
      if (err !== null) return `<${err}>`;
      const t = this.m._lua_type(this.L, -1);
      if (t === LUA_TSTRING) {
        const s = Buffer.from(this.heap.toBytes(this.L, -1) ?? []).toString('latin1');
        this.m._lua_settop(this.L, -2);
        return s;
      }
      return this.viewTop(expr).value;
    });
  }

  /** Assigns the value of `expression` to a local or upvalue named `name` in the frame; returns the new view. */
  assign(level: number, scope: 'local' | 'upvalue', name: string, expression: string): LuaValueView {
    if (scope === 'local') {
      const index = this.findLocal(level, name);
      if (index === 0) throw new Error(`no local "${name}" in this frame`);
      const err = this.evaluateToTop(level, expression);
      if (err !== null) throw new Error(err);
      this.m._lua_getstack(this.L, level, this.ar);
      this.m._lua_setlocal(this.L, this.ar, index);
    } else {
      if (!this.frameAt(level, 'f')) throw new Error('no such frame');
      const fn = this.m._lua_gettop(this.L);
      let index = 0;
      for (let n = 1; ; n++) {
        const p = this.m._lua_getupvalue(this.L, fn, n);
        if (p === 0) break;
        this.m._lua_settop(this.L, -2);
        if (this.heap.readCString(p) === name) index = n;
      }
      if (index === 0) { this.m._lua_settop(this.L, fn - 1); throw new Error(`no upvalue "${name}"`); }
      const err = this.evaluateToTop(level, expression);
      if (err !== null) { this.m._lua_settop(this.L, fn - 1); throw new Error(err); }
      this.m._lua_setupvalue(this.L, fn, index);
      this.m._lua_settop(this.L, fn - 1);
    }
    const err = this.evaluateToTop(level, name);
    if (err !== null) throw new Error(err);
    return this.viewTop(name);
  }

  private findLocal(level: number, name: string): number {
    if (this.m._lua_getstack(this.L, level, this.ar) === 0) return 0;
    let found = 0;
    for (let n = 1; ; n++) {
      const p = this.m._lua_getlocal(this.L, this.ar, n);
      if (p === 0) break;
      this.m._lua_settop(this.L, -2);
      if (this.heap.readCString(p) === name) found = n;
    }
    return found;
  }
}
