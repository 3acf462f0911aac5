// The worker-side debug VM: runs the script on the LB's own engine (runtime/ns loadExtension) with a line hook that stops, steps and replays.
// Runtime frames (the ns prelude '=protoext-ns', the sandbox) are never shown nor stepped into: only the user's chunk counts.
import { LUA_HOOKCALL, LUA_HOOKLINE, LUA_HOOKTAILCALL, LUA_MASKCALL, LUA_MASKLINE, LUA_TSTRING } from '../lua/luaConstants';
import { LuaEngine } from '../lua/luaEngine';
import type { Ptr } from '../lua/luaModule';
import { loadExtension, ScriptLoadError, type LoadedExtension } from '../ns/loadExtension';
import type { ConnectionInfo, ConnectionScript, DeliveryResult, ObservedAction } from '../ns/types';
import { collectActiveLines } from './activeLines';
import { BreakpointTable, type StopDecision } from './breakpointTable';
import { AR, LuaHeap } from './luaHeap';
import { PayloadReads } from './payloadReads';
import { replayTarget, type LineEvent } from './replayPlanner';
import { buildStatementTable, NO_STATEMENTS, StatementMap } from './statementMap';
import { StatementTracker } from './statementTracker';
import { VmInspector } from './vmInspector';
import type { BreakpointSpec, FromWorker, RequestToWorker, StepMode, StopInfo, ToWorker } from './workerProtocol';
import { debuggerLog } from './scriptLogOutput';

export interface VmChannel {
  post(msg: FromWorker): void;
  /** Blocks until the main thread sends the next message. */
  next(): ToWorker;
  /** A message if one is waiting, without blocking (checked at every line event so pause and breakpoint edits land while running). */
  poll(): ToWorker | null;
}

/** The error value a hook raises to unwind a run for abort or replay; the error hook never stops on it. */
const UNWIND = '\u0000protoext-unwind';

/** What the launch simulates as the connection's ctxt.client / ctxt.vserver (attach passes the live one). */
export const DEFAULT_CONNECTION_INFO: ConnectionInfo = {
  client: { ip: '127.0.0.1', port: 50000, localIp: '127.0.0.1', localPort: 1883 },
  vserver: { name: 'mqtt_vs', params: {} },
};

type Resume = { kind: 'resume'; mode: StepMode } | { kind: 'replay'; event: number } | { kind: 'abort' };

export class DebugVm {
  private readonly heap: LuaHeap;
  private file = '';
  private source = '';
  private info: ConnectionInfo = DEFAULT_CONNECTION_INFO;
  private ext: LoadedExtension | null = null;
  private inspector: VmInspector | null = null;
  private userSourcePtr = 0;
  private readonly breakpoints = new BreakpointTable();
  /** Statement stepping (statementMap.ts): built from the parse at load, the same for every run. */
  private statements = new StatementTracker(new StatementMap(NO_STATEMENTS));
  /** Every client chunk of this session, so a replay re-runs exactly what the script saw. */
  private readonly received: Uint8Array[] = [];
  private completed = 0;
  private ended = false;
  private stopOnEntry = false;
  // Per run.
  private events = 0;
  private history: LineEvent[] = [];
  private mode: StepMode | 'entry' = 'continue';
  private stepDepth = 0;
  private stopAtEvent: number | null = null;
  private pauseRequested = false;
  private unwinding: Resume | null = null;
  private inspecting = false;
  private delivery = -1;
  private data: Uint8Array = new Uint8Array();
  private readonly payload = new PayloadReads();
  private lastStop: StopInfo | null = null;

  constructor(engine: LuaEngine, private readonly channel: VmChannel) {
    this.heap = new LuaHeap(engine);
  }

  /** Compiles and runs the main chunk once without stopping, and reports its statements (from the parse and the active lines). */
  async load(file: string, source: string): Promise<void> {
    this.file = file;
    this.source = source;
    try {
      const ext = await loadExtension(source, file);
      const statements = buildStatementTable(source, collectActiveLines(ext, source, this.heap));
      ext.dispose();
      this.statements = new StatementTracker(new StatementMap(statements));
      this.channel.post({ type: 'loaded', statements, error: null });
    } catch (e) {
      this.channel.post({ type: 'loaded', statements: NO_STATEMENTS, error: e instanceof ScriptLoadError ? e.error.message : e instanceof Error ? e.message : String(e) });
    }
  }

  setBreakpoints(list: BreakpointSpec[]): void {
    this.breakpoints.set(list);
  }

  /** Runs main chunk then every delivery as it arrives; replays from scratch when asked to step back. */
  async run(stopOnEntry: boolean, info?: ConnectionInfo): Promise<void> {
    this.stopOnEntry = stopOnEntry;
    if (info) this.info = info;
    let target: number | null = null;
    for (;;) {
      const outcome = await this.runOnce(target);
      if (outcome && outcome.kind === 'replay') { target = outcome.event; continue; }
      return;
    }
  }

  private async runOnce(stopAtEvent: number | null): Promise<Resume | null> {
    this.events = 0;
    this.history = [];
    this.statements.reset();
    this.mode = this.stopOnEntry && stopAtEvent === null ? 'entry' : 'continue';
    this.stopAtEvent = stopAtEvent;
    this.pauseRequested = false;
    this.unwinding = null;
    this.delivery = -1;
    this.data = new Uint8Array();
    this.payload.reset();
    this.userSourcePtr = 0;
    this.channel.post({ type: 'restarted' });
    let loadError: string | null = null;
    try {
      this.ext = await loadExtension(this.source, this.file, { beforeMainChunk: (ext) => this.attachTo(ext), log: debuggerLog((m) => this.postUnlessReplaying(m)) });
    } catch (e) {
      loadError = e instanceof ScriptLoadError ? e.error.message : e instanceof Error ? e.message : String(e);
    }
    if (this.ext === null || loadError !== null) {
      const unwinding = this.unwinding;
      this.closeRun(null);
      if (unwinding === null) this.channel.post({ type: 'finished', error: loadError, events: this.events });
      return unwinding;
    }
    const conn = this.ext.openConnection(this.info, {
      readObserver: { onRead: (first, last) => { if (!this.inspecting) this.payload.record(first + 1, last + 1); } },
      actionObserver: { onAction: (action) => this.onAction(action) },
    });
    let error: string | null = null;
    let held: Uint8Array = new Uint8Array();
    for (let i = 0; error === null && this.unwinding === null; i++) {
      if (i >= this.received.length && !this.waitForChunk()) break;
      if (this.unwinding !== null) break;
      const bytes = this.received[i];
      this.delivery = i;
      this.data = held.length ? concat(held, bytes) : bytes;
      this.payload.reset();
      const result = conn.onClientData(bytes);
      if (this.unwinding !== null) break;
      held = result.held ? result.heldData ?? this.data : new Uint8Array();
      error = result.error?.message ?? null;
      const replayed = i < this.completed;
      this.completed = Math.max(this.completed, i + 1);
      this.channel.post({ type: 'deliveryDone', held: result.held, error, result: plain(result), replayed });
    }
    const unwinding = this.unwinding;
    this.closeRun(conn);
    if (unwinding === null) this.channel.post({ type: 'finished', error, events: this.events });
    return unwinding;
  }

  /** A replay (step back) re-runs lines the user already saw: their ns.logger output is not repeated, as logpoints are not. */
  private postUnlessReplaying(message: FromWorker): void {
    if (this.stopAtEvent === null) this.channel.post(message);
  }

  /** Installed before the main chunk runs, so top-level breakpoints bind too. */
  private attachTo(ext: LoadedExtension): void {
    this.ext = ext;
    const state = ext.state;
    this.inspector = new VmInspector(this.heap, state.L, (p) => this.isUserSource(p));
    state.setDebugHook((L, ar, event) => this.onHook(L, ar, event), LUA_MASKLINE | LUA_MASKCALL);
    state.errorHook = (L) => this.onError(L);
  }

  private closeRun(conn: ConnectionScript | null): void {
    conn?.dispose();
    this.ext?.dispose();
    if (this.inspector) this.heap.m._free(this.inspector.ar);
    this.ext = null;
    this.inspector = null;
  }

  /** Blocks until the next client chunk (true) or the end of the connection's script phase (false). */
  private waitForChunk(): boolean {
    while (!this.ended) {
      const msg = this.channel.next();
      if (msg.type === 'deliver') { this.received.push(msg.bytes); return true; }
      if (msg.type === 'end') this.ended = true;
      else this.handleWhileRunning(msg, null);
      if (this.unwinding !== null) return false;
    }
    return false;
  }

  /** Pointer comparison once the user's chunk name was seen (its TString lives as long as the state). */
  private isUserSource(p: Ptr): boolean {
    if (this.userSourcePtr !== 0) return p === this.userSourcePtr;
    const name = this.heap.readCString(p);
    if (name !== `@${this.ext?.chunkName ?? ''}`) return false;
    this.userSourcePtr = p;
    return true;
  }

  private onAction(action: ObservedAction): void {
    if (this.inspecting) return;
    // An answer to the client makes no LB decision: the Debug Console says it, the decision model never sees it.
    if (action.kind === 'toClient') this.channel.post({ type: 'output', category: 'console', text: `protoext: ns.send(ctxt.client) ${action.event}: ${action.data.length} bytes to the client\n`, line: null });
    else this.channel.post({ type: 'action', action });
  }

  private onHook(L: Ptr, ar: Ptr, event: number): void {
    if (this.inspector === null || this.inspecting) return;
    const m = this.heap.m;
    if (event === LUA_HOOKCALL || event === LUA_HOOKTAILCALL) {
      m._lua_getinfo(L, this.heap.cstr('S'), ar);
      if (this.isUserSource(this.heap.readInt(ar + AR.source))) this.statements.callEntered();
      return;
    }
    if (event !== LUA_HOOKLINE) return;
    m._lua_getinfo(L, this.heap.cstr('Sl'), ar);
    if (!this.isUserSource(this.heap.readInt(ar + AR.source))) return;
    const line = this.heap.readInt(ar + AR.currentline);
    const inspector = this.inspector;
    // Coroutines run on their own lua_State: inspect the thread the hook fired on.
    inspector.L = L;
    const depth = inspector.depth();
    const statement = this.statements.onLine(line, depth);
    this.events++;
    this.history.push({ line, depth, breakLine: statement.breakLine });
    for (let msg = this.channel.poll(); msg !== null; msg = this.channel.poll()) this.handleWhileRunning(msg, L);
    const decision = this.decideStop(depth, statement.breakLine);
    if (decision === null) return;
    if (decision.kind === 'log') {
      this.inspecting = true;
      const text = inspector.interpolate(0, decision.message);
      this.inspecting = false;
      this.channel.post({ type: 'output', category: 'console', text: text + '\n', line });
      return;
    }
    this.pauseHere(L, decision.reason, line, null);
  }

  /**
   * `breakLine` is non-null when this line event starts a statement (statementTracker.ts): breakpoints and steps stop
   * only there, so a statement spanning lines stops once and Step Over leaves it; any return to a caller stops too.
   */
  private decideStop(depth: number, breakLine: number | null): StopDecision | null {
    if (this.stopAtEvent !== null) {
      if (this.events < this.stopAtEvent) return null;
      this.stopAtEvent = null;
      return { kind: 'stop', reason: 'step' };
    }
    if (this.pauseRequested) { this.pauseRequested = false; return { kind: 'stop', reason: 'pause' }; }
    if (this.mode === 'entry' && this.delivery >= 0) return { kind: 'stop', reason: 'entry' };
    const inspector = this.inspector as VmInspector;
    const bp = breakLine === null ? null : this.breakpoints.check(breakLine, (expr) => {
      this.inspecting = true;
      try { return inspector.condition(0, expr); } finally { this.inspecting = false; }
    });
    if (bp !== null) return bp;
    const step = { kind: 'stop', reason: 'step' } as const;
    const starts = breakLine !== null;
    switch (this.mode) {
      case 'stepIn': return depth !== this.stepDepth || starts ? step : null;
      case 'next': return depth < this.stepDepth || (depth === this.stepDepth && starts) ? step : null;
      case 'stepOut': return depth < this.stepDepth ? step : null;
      case 'byte': return this.payload.newByteRead ? step : null;
      default: return null;
    }
  }

  /** The engine's message handler, before the stack unwinds: error() stops with the failing frames live. */
  private onError(L: Ptr): void {
    if (this.unwinding !== null || this.inspector === null || this.stopAtEvent !== null || this.inspecting) return;
    const m = this.heap.m;
    const message = m._lua_type(L, 1) === LUA_TSTRING ? Buffer.from(this.heap.toBytes(L, 1) ?? []).toString('latin1') : this.heap.toDisplay(L, 1);
    if (message.startsWith(UNWIND)) return;
    this.inspector.L = L;
    const line = this.inspector.userLine();
    if (line === null) return;
    this.pauseHere(L, 'exception', line, message);
  }

  /** Blocks the VM at this point and serves the main thread until it resumes, replays or aborts. */
  private pauseHere(L: Ptr, reason: StopInfo['reason'], line: number, exception: string | null): void {
    const inspector = this.inspector as VmInspector;
    const stop: StopInfo = {
      reason, line, event: this.events, delivery: this.delivery, data: this.data,
      reads: [...this.payload.reads], lastRead: this.payload.lastRead, exception,
      clientIdLocal: inspector.stringLocal(/^client_?id$/i),
    };
    this.lastStop = stop;
    this.channel.post({ type: 'stopped', stop });
    let resume: Resume | null = null;
    while (resume === null) {
      const msg = this.channel.next();
      if ('id' in msg) { this.serve(msg); continue; }
      resume = this.control(msg);
    }
    inspector.releaseHandles();
    if (resume.kind === 'resume') {
      this.mode = resume.mode;
      this.stepDepth = inspector.depth();
      this.payload.newByteRead = false;
      return;
    }
    this.unwind(L, resume);
  }

  private unwind(L: Ptr, why: Resume): void {
    this.unwinding = why;
    this.heap.pushString(L, UNWIND);
    this.heap.m._lua_error(L);
  }

  private control(msg: Exclude<ToWorker, { id: number }>): Resume | null {
    switch (msg.type) {
      case 'setBreakpoints': this.breakpoints.set(msg.breakpoints); return null;
      case 'abort': return { kind: 'abort' };
      case 'deliver': this.received.push(msg.bytes); return null;
      case 'end': this.ended = true; return null;
      case 'resume':
        if (msg.mode !== 'stepBack' && msg.mode !== 'reverseContinue') return { kind: 'resume', mode: msg.mode };
        return { kind: 'replay', event: replayTarget(msg.mode, this.history, this.events, this.lastStop?.reason === 'exception', (l) => this.breakpoints.has(l)) };
      default: return null;
    }
  }

  /** Messages that arrive while the script runs (L non-null) or waits for the next chunk (L null). */
  private handleWhileRunning(msg: ToWorker, L: Ptr | null): void {
    if ('id' in msg) { this.channel.post({ type: 'reply', id: msg.id, result: null, error: 'not paused' }); return; }
    if (msg.type === 'setBreakpoints') this.breakpoints.set(msg.breakpoints);
    else if (msg.type === 'pause') this.pauseRequested = true;
    else if (msg.type === 'deliver') this.received.push(msg.bytes);
    else if (msg.type === 'end') this.ended = true;
    else if (msg.type === 'abort') {
      if (L === null) this.unwinding = { kind: 'abort' };
      else this.unwind(L, { kind: 'abort' });
    }
  }

  private serve(msg: RequestToWorker): void {
    const inspector = this.inspector as VmInspector;
    this.inspecting = true;
    try {
      const result = ((): unknown => {
        switch (msg.type) {
          case 'stack': return inspector.stack();
          case 'locals': return inspector.locals(msg.level);
          case 'upvalues': return inspector.upvalues(msg.level);
          case 'globals': return inspector.globals();
          case 'children': return inspector.children(msg.handle);
          case 'evaluate': return inspector.evaluate(msg.level, msg.expression);
          case 'setLocal': return inspector.assign(msg.level, msg.scope, msg.name, msg.expression);
        }
      })();
      this.channel.post({ type: 'reply', id: msg.id, result, error: null });
    } catch (e) {
      this.channel.post({ type: 'reply', id: msg.id, result: null, error: e instanceof Error ? e.message : String(e) });
    } finally {
      this.inspecting = false;
    }
  }
}

/** A DeliveryResult as plain data for postMessage (Uint8Array views of wasm memory are copies already). */
function plain(result: DeliveryResult): DeliveryResult {
  return {
    actions: result.actions, held: result.held, error: result.error,
    ...(result.heldData ? { heldData: result.heldData } : {}), ...(result.discardedActions ? { discardedActions: result.discardedActions } : {}),
  };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
