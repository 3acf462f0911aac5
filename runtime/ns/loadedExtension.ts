// A loaded protocol extension: one sandboxed Lua state shared by all its connections, and the host side of ns.send/pipe and ctxt:hold/close.
import { basename } from 'node:path';
import { LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS, LUA_TFUNCTION, LUA_TNIL, LUA_TNUMBER, LUA_TSTRING, LUA_TTABLE } from '../lua/luaConstants';
import type { LuaEngine } from '../lua/luaEngine';
import type { Ptr } from '../lua/luaModule';
import type { LuaState } from '../lua/luaState';
import { newSandboxedState } from '../lua/sandbox';
import { toScriptError } from './scriptError';
import { LOG_LEVELS } from './catalog';
import { EXTENSION_SANDBOX } from './extensionSandbox';
import { ExtensionConnection } from './extensionConnection';
import { NS_PRELUDE_CHUNK, NS_PRELUDE_LUA } from './nsPrelude';
import { ScriptLoadError } from './scriptLoadError';
import type {
  ActionObserver, ConnectionInfo, ConnectionOptions, ConnectionScript, DeliveryResult, EngineLimits, ExtensionScript, LogSettings, ReadObserver, ScriptAction,
} from './types';

/**
 * What the running callback has asked for so far. A class, not a literal per call: one shape from construction on, so
 * V8's optimized code for the ns calls stays valid from one connection to the next (docs/PERFORMANCE.md).
 */
class ActiveDelivery {
  readonly actions: ScriptAction[] = [];
  held = false;
  /** The stream ctxt:hold was given: all of `bytes`, or a part of them from data:split(n). */
  heldData: Uint8Array | undefined = undefined;

  constructor(
    readonly connId: number,
    readonly bytes: Uint8Array,
    readonly observer: ReadObserver | undefined,
    readonly actionObserver: ActionObserver | undefined,
    /** The connection's number in ns.logger lines. */
    readonly logId: number,
    /** Where the connection comes from: read when the script first reads ctxt.client. */
    readonly info: ConnectionInfo,
  ) {}
}

const EMPTY = new Uint8Array(0);
const encoder = new TextEncoder();

/**
 * Globals are shared by every connection of the script, as on one ADC packet engine: a table a
 * script fills in one connection's callback is visible in the next. Each connection gets its own
 * `ctxt` (and its own held bytes); only one callback runs at a time.
 */
export class LoadedExtension implements ExtensionScript {
  private active: ActiveDelivery | null = null;
  private nextConnId = 1;
  private openConnections = 0;
  private disposed = false;
  private deliverRef = 0;
  private newCtxtRef = 0;
  private surfaceRef = 0;
  private clientHandlerRef = 0;
  private serverHandlerRef = 0;

  private constructor(readonly file: string, readonly state: LuaState, private readonly log: LogSettings | undefined) {}

  /** Loads the prelude and runs the script's main chunk; throws ScriptLoadError when the script fails. */
  static create(
    engine: LuaEngine, source: string, file: string, limits: EngineLimits, beforeMainChunk?: (ext: LoadedExtension) => void, log?: LogSettings,
  ): LoadedExtension {
    const state = newSandboxedState(engine, limits.memoryLimitBytes, EXTENSION_SANDBOX);
    state.instructionBudget = limits.instructionBudget;
    const ext = new LoadedExtension(file, state, log);
    try {
      ext.installPrelude();
      beforeMainChunk?.(ext);
      ext.runMainChunk(source);
      return ext;
    } catch (e) {
      state.close();
      throw e;
    }
  }

  get hasClientOnData(): boolean {
    return this.clientHandlerRef !== 0;
  }

  get hasServerOnData(): boolean {
    return this.serverHandlerRef !== 0;
  }

  /** Lua's short name for the chunk: errors say `<chunkName>:line:`, and a debugger matches frames on it. */
  get chunkName(): string {
    return basename(this.file);
  }

  openConnection(info: ConnectionInfo, options: ConnectionOptions = {}): ConnectionScript {
    if (this.disposed) throw new Error(`${this.file}: the extension was disposed`);
    const connection = new ExtensionConnection(this, this.nextConnId++, info, options);
    this.openConnections++;
    return connection;
  }

  /** Connection contexts opened and not yet disposed: a leak shows as a count that only grows (soak and fuzz watch it). */
  get liveConnections(): number {
    return this.openConnections;
  }

  /** Called once by a connection's dispose(). */
  connectionDisposed(): void {
    this.openConnections--;
  }

  /**
   * Builds a ctxt for one side of a connection and returns its registry reference. `withClient`: fill ctxt.client
   * now (a debugger shows it); otherwise the first read of ctxt.client asks (the LB: most scripts never read it).
   */
  newContext(connId: number, isClient: boolean, info: ConnectionInfo, withClient: boolean): number {
    const { state } = this;
    const lua = state.lua;
    const L = state.L;
    state.pushRef(this.newCtxtRef);
    lua._lua_pushinteger(L, connId);
    lua._lua_pushboolean(L, isClient ? 1 : 0);
    state.pushString(info.vserver.name);
    lua._lua_createtable(L, 0, 4);
    for (const [k, v] of Object.entries(info.vserver.params)) {
      state.pushString(k);
      state.pushString(v);
      lua._lua_rawset(L, -3);
    }
    const nargs = withClient ? this.pushClientInfo(info, L) + 4 : 4;
    const outcome = state.call(nargs, 1);
    if (!outcome.ok) throw new Error(`creating ctxt failed: ${outcome.failure.message}`);
    return state.ref();
  }

  /** ip, port, local ip, local port: what ctxt.client holds. */
  private pushClientInfo(info: ConnectionInfo, L: Ptr): number {
    const { state } = this;
    const client = info.client;
    state.pushString(client.ip);
    state.lua._lua_pushinteger(L, client.port);
    state.pushString(client.localIp);
    state.lua._lua_pushinteger(L, client.localPort);
    return 4;
  }

  releaseContext(ref: number): void {
    if (!this.disposed) this.state.unref(ref);
  }

  /** Runs client.on_data or server.on_data once with `bytes` as payload.data. */
  deliver(
    connId: number, ctxtRef: number, isClient: boolean, bytes: Uint8Array, info: ConnectionInfo, observer: ReadObserver | undefined, actionObserver?: ActionObserver, logId = connId,
  ): DeliveryResult {
    const { state } = this;
    state.pushRef(this.deliverRef);
    state.pushRef(isClient ? this.clientHandlerRef : this.serverHandlerRef);
    state.pushRef(ctxtRef);
    state.pushBytes(bytes);
    state.lua._lua_pushboolean(state.L, observer ? 1 : 0);
    state.lua._lua_pushinteger(state.L, connId);
    const active = new ActiveDelivery(connId, bytes, observer, actionObserver, logId, info);
    this.active = active;
    const outcome = state.call(5, 0);
    this.active = null;
    // One result shape whether or not the script held (heldData undefined when it did not).
    if (outcome.ok) return { actions: active.actions, held: active.held, heldData: active.heldData, error: null };
    return {
      actions: [],
      held: false,
      error: toScriptError(outcome.failure, this.file, this.chunkName),
      discardedActions: active.actions,
    };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.state.close();
  }

  /** What the Lua prelude implements, as "owner name function|field" and "ns.send event NAME" lines (for the catalog parity test). */
  apiSurface(): string[] {
    const { state } = this;
    state.pushRef(this.surfaceRef);
    const outcome = state.call(0, 1);
    if (!outcome.ok) throw new Error(`ns prelude surface failed: ${outcome.failure.message}`);
    const text = state.toDisplayString(-1);
    state.setTop(-2);
    return text.split('\n');
  }

  private installPrelude(): void {
    const { state } = this;
    const lua = state.lua;
    const L = state.L;
    const loaded = state.load(encoder.encode(NS_PRELUDE_LUA), NS_PRELUDE_CHUNK);
    if (!loaded.ok) throw new Error(`ns prelude does not compile: ${loaded.failure.message}`);
    lua._lua_createtable(L, 0, 9);
    const host: Record<string, (L: Ptr) => number> = {
      send: this.hostSend, pipe: this.hostPipe, hold: this.hostHold, close: this.hostClose, api: this.hostApi, read: this.hostRead, log: this.hostLog,
      client: this.hostClient,
    };
    for (const [name, fn] of Object.entries(host)) {
      state.pushString(name);
      state.pushFunction(fn);
      lua._lua_rawset(L, -3);
    }
    state.pushString('log_levels');
    lua._lua_createtable(L, LOG_LEVELS.length, 0);
    LOG_LEVELS.forEach((level, i) => {
      state.pushString(level);
      lua._lua_rawseti(L, -2, i + 1);
    });
    lua._lua_rawset(L, -3);
    // No sink: no level is emitted, so nothing is ever formatted.
    state.pushString('log_threshold');
    lua._lua_pushinteger(L, this.log ? LOG_LEVELS.indexOf(this.log.level) + 1 : 0);
    lua._lua_rawset(L, -3);
    const ran = state.call(1, 3);
    if (!ran.ok) throw new Error(`ns prelude failed: ${ran.failure.message}`);
    this.surfaceRef = state.ref();
    this.newCtxtRef = state.ref();
    this.deliverRef = state.ref();
  }

  private runMainChunk(source: string): void {
    const { state } = this;
    const loaded = state.load(encoder.encode(source), `@${this.chunkName}`);
    const ran = loaded.ok ? state.call(0, 0) : loaded;
    if (!ran.ok) throw new ScriptLoadError(toScriptError(ran.failure, this.file, this.chunkName));
    this.clientHandlerRef = this.handlerRef('client');
    this.serverHandlerRef = this.handlerRef('server');
  }

  /** A reference to `<side>.on_data` when the script defined it, else 0 (raw reads: no metamethod runs outside a protected call). */
  private handlerRef(side: 'client' | 'server'): number {
    const { state } = this;
    const lua = state.lua;
    const L = state.L;
    const top = state.top();
    let ref = 0;
    lua._lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
    state.pushString(side);
    lua._lua_rawget(L, -2);
    if (lua._lua_type(L, -1) === LUA_TTABLE) {
      state.pushString('on_data');
      lua._lua_rawget(L, -2);
      if (lua._lua_type(L, -1) === LUA_TFUNCTION) ref = state.ref();
    }
    state.setTop(top);
    return ref;
  }

  private current(L: Ptr): ActiveDelivery {
    const active = this.active;
    const connId = this.state.lua._lua_tointegerx(L, 1, 0);
    if (!active || active.connId !== connId) throw new Error('ns call outside the callback of its connection');
    return active;
  }

  /** (conn, is EOM, data, length, token, session, to the client): data is nil, a string, or a stream's offset in payload.data with its length. */
  private readonly hostSend = (L: Ptr): number => {
    const active = this.current(L);
    const lua = this.state.lua;
    const data = this.sentData(active, L);
    const event = lua._lua_toboolean(L, 2) ? 'EOM' : 'DATA';
    let action: ScriptAction;
    if (lua._lua_toboolean(L, 7)) {
      action = { kind: 'toClient', event, data };
    } else {
      const userToken = this.state.toBytes(5, L);
      // The MQTT sample hands the same ClientID as token and session: one copy out of the engine serves both (read only).
      const userSession = userToken !== null && lua._lua_rawequal(L, 5, 6) ? userToken : this.state.toBytes(6, L);
      action = { kind: 'send', event, data, userToken, userSession };
    }
    active.actions.push(action);
    active.actionObserver?.onAction(action);
    return 0;
  };

  private sentData(active: ActiveDelivery, L: Ptr): Uint8Array {
    const lua = this.state.lua;
    const t = lua._lua_type(L, 3);
    if (t === LUA_TNUMBER) return this.delivered(active, L, 3);
    return t === LUA_TSTRING ? this.state.toBytes(3, L) ?? EMPTY : EMPTY;
  }

  /** A stream given as (offset, length) at idx, idx + 1: a view of the delivered bytes, which the connection owns. */
  private delivered(active: ActiveDelivery, L: Ptr, idx: number): Uint8Array {
    const lua = this.state.lua;
    const offset = lua._lua_tointegerx(L, idx, 0);
    const length = lua._lua_tointegerx(L, idx + 1, 0);
    return offset === 0 && length === active.bytes.length ? active.bytes : active.bytes.subarray(offset, offset + length);
  }

  private readonly hostPipe = (L: Ptr): number => {
    const active = this.current(L);
    active.actions.push({ kind: 'pipe' });
    active.actionObserver?.onAction({ kind: 'pipe' });
    return 0;
  };

  /**
   * (conn, offset, length): the held stream's place in payload.data. A part is copied: kept as a view, a held
   * half line would pin its whole 64 KiB read for as long as the connection waits for the rest.
   */
  private readonly hostHold = (L: Ptr): number => {
    const active = this.current(L);
    const held = this.delivered(active, L, 2);
    active.held = true;
    active.heldData = held === active.bytes ? held : held.slice();
    active.actionObserver?.onAction({ kind: 'hold' });
    return 0;
  };

  private readonly hostClose = (L: Ptr): number => {
    const active = this.current(L);
    active.actions.push({ kind: 'close' });
    active.actionObserver?.onAction({ kind: 'close' });
    return 0;
  };

  private readonly hostApi = (): number => {
    this.state.markApiMisuse();
    return 0;
  };

  /** (conn or nil, severity 1-8, formatted line, "chunk:line: " of the caller). Logging from the main chunk is allowed: conn null. */
  private readonly hostLog = (L: Ptr): number => {
    const lua = this.state.lua;
    const conn = lua._lua_type(L, 1) === LUA_TNIL ? null : this.active?.logId ?? lua._lua_tointegerx(L, 1, 0);
    const where = /^(.*):(\d+): $/.exec(this.state.toDisplayString(4, L));
    this.log?.sink({
      level: LOG_LEVELS[lua._lua_tointegerx(L, 2, 0) - 1],
      conn,
      file: this.file,
      line: where && where[1] === this.chunkName ? Number(where[2]) : null,
      message: this.state.toDisplayString(3, L),
    });
    return 0;
  };

  /** (conn) -> ip, port, local ip, local port of the running callback's connection. */
  private readonly hostClient = (L: Ptr): number => this.pushClientInfo(this.current(L).info, L);

  private readonly hostRead = (L: Ptr): number => {
    const lua = this.state.lua;
    this.current(L).observer?.onRead(lua._lua_tointegerx(L, 2, 0), lua._lua_tointegerx(L, 3, 0));
    return 0;
  };
}
