// The worker-side debug VM: one Lua state per run, host functions for the ns prelude, the line hook that stops, steps and replays.
import { DEFAULT_LIMITS } from '../ns/types';
import { AR, LUA_MASKCOUNT, LUA_MASKLINE, LUA_REGISTRYINDEX, LUA_TSTRING, LuaHeap, type LuaWasm } from './luaWasm';
import { ACTIVE_LINES_WALKER, PRELUDE_CHUNK, PRELUDE_SOURCE } from './debugPrelude';
import { VmInspector } from './vmInspector';
import { PayloadReads } from './payloadReads';
import { replayTarget, type LineEvent } from './replayPlanner';
import { BreakpointTable, type StopDecision } from './breakpointTable';
import type { BreakpointSpec, FromWorker, RequestToWorker, ScriptActionView, StepMode, StopInfo, ToWorker } from './workerProtocol';

export interface VmChannel {
  post(msg: FromWorker): void;
  /** Blocks until the main thread sends the next message. */
  next(): ToWorker;
  /** A message if one is waiting, without blocking (checked at every line event so pause and breakpoint edits land while running). */
  poll(): ToWorker | null;
}

interface RunInput {
  deliveries: Uint8Array[];
  stopOnEntry: boolean;
}

/** Thrown through Lua (as an error value the message handler recognises) to unwind a run for abort or replay. */
const UNWIND = '\u0000protoext-unwind';

const LUA_HOOKCOUNT = 3;
const BUDGET_STEP = 1000;

type Resume = { kind: 'resume'; mode: StepMode } | { kind: 'replay'; event: number } | { kind: 'abort' };

export class DebugVm {
  private readonly heap: LuaHeap;
  private readonly m: LuaWasm;
  private file = '';
  private source = '';
  private L = 0;
  private userSource = 0;
  private sandboxRef = 0;
  private deliverRef = 0;
  private inspector: VmInspector | null = null;
  private readonly breakpoints = new BreakpointTable();
  private readonly hookPtr: number;
  private readonly msghPtr: number;
  private readonly hostPtrs: number[];
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
  private held = false;
  private piped = false;
  private lastStop: StopInfo | null = null;
  /** Instructions run by the current callback, counted in steps of BUDGET_STEP, as the engine's budget does. */
  private spent = 0;

  constructor(m: LuaWasm, private readonly channel: VmChannel) {
    this.m = m;
    this.heap = new LuaHeap(m);
    this.hookPtr = m.addFunction((L: number, ar: number) => this.onHook(L, ar), 'vii');
    this.msghPtr = m.addFunction((L: number) => this.onError(L), 'ii');
    this.hostPtrs = [
      m.addFunction((L: number) => this.hostRead(L), 'ii'),
      m.addFunction((L: number) => this.hostSend(L), 'ii'),
      m.addFunction(() => this.hostAction({ kind: 'pipe' }), 'ii'),
      m.addFunction(() => this.hostAction({ kind: 'hold' }), 'ii'),
      m.addFunction(() => this.hostAction({ kind: 'close' }), 'ii'),
    ];
  }

  /** Compiles the file, runs its main chunk once without hooks, and reports the lines that can hold a breakpoint. */
  load(file: string, source: string): void {
    this.file = file;
    this.source = source;
    const error = this.openState();
    let activeLines: number[] = [];
    if (error === null) activeLines = this.collectActiveLines();
    this.closeState();
    this.channel.post({ type: 'loaded', activeLines, error });
  }

  setBreakpoints(list: BreakpointSpec[]): void {
    this.breakpoints.set(list);
  }

  /** Runs main chunk then every delivery; replays from scratch when asked to step back. */
  run(input: RunInput, stopAtEvent: number | null): void {
    let target = stopAtEvent;
    for (;;) {
      const outcome = this.runOnce(input, target);
      if (outcome && outcome.kind === 'replay') { target = outcome.event; continue; }
      return;
    }
  }

  private runOnce(input: RunInput, stopAtEvent: number | null): Resume | null {
    this.events = 0;
    this.history = [];
    this.mode = input.stopOnEntry && stopAtEvent === null ? 'entry' : 'continue';
    this.stopAtEvent = stopAtEvent;
    this.pauseRequested = false;
    this.unwinding = null;
    this.delivery = -1;
    this.held = false;
    this.piped = false;
    this.data = new Uint8Array();
    this.payload.reset();
    this.channel.post({ type: 'restarted', replayTo: stopAtEvent });
    const loadError = this.openState();
    if (loadError !== null) {
      this.channel.post({ type: 'finished', error: loadError, events: 0 });
      return null;
    }
    this.m._lua_sethook(this.L, this.hookPtr, LUA_MASKLINE | LUA_MASKCOUNT, BUDGET_STEP);
    this.spent = 0;
    let error = this.callProtected(() => 0);
    let heldBytes: Uint8Array = new Uint8Array();
    for (let i = 0; error === null && this.unwinding === null && i < input.deliveries.length; i++) {
      this.delivery = i;
      this.data = concat(heldBytes, input.deliveries[i]);
      this.held = false;
      this.spent = 0;
      this.payload.reset();
      if (this.piped) {
        this.channel.post({ type: 'deliveryDone', delivery: i, held: false, piped: true, error: null });
        continue;
      }
      error = this.callProtected(() => {
        this.m._lua_rawgeti(this.L, LUA_REGISTRYINDEX, this.deliverRef);
        this.heap.pushBytes(this.L, this.data);
        return 1;
      });
      heldBytes = this.held ? this.data : new Uint8Array();
      if (this.unwinding === null) this.channel.post({ type: 'deliveryDone', delivery: i, held: this.held, piped: this.piped, error });
    }
    const unwinding = this.unwinding;
    this.closeState();
    if (unwinding === null) this.channel.post({ type: 'finished', error, events: this.events });
    return unwinding;
  }

  /** Calls the function pushed by `push` (the main chunk when it pushes nothing) under the message handler. */
  private callProtected(push: () => number): string | null {
    const base = this.m._lua_gettop(this.L);
    this.m._lua_pushcclosure(this.L, this.msghPtr, 0);
    if (push() === 0) this.m._lua_rawgeti(this.L, LUA_REGISTRYINDEX, this.mainRef);
    const nargs = this.m._lua_gettop(this.L) - base - 2;
    const status = this.m._lua_pcallk(this.L, nargs, 0, base + 1, 0, 0);
    let error: string | null = null;
    if (status !== 0) error = this.heap.toDisplay(this.L, -1);
    this.m._lua_settop(this.L, base);
    if (error !== null && error.startsWith(UNWIND)) return null;
    return error;
  }

  private mainRef = 0;

  private openState(): string | null {
    const m = this.m;
    const L = (this.L = m._luaL_newstate());
    m._luaL_openlibs(L);
    const chunkName = `@${this.file}`;
    if (this.loadChunk(PRELUDE_SOURCE, PRELUDE_CHUNK) !== 0) throw new Error(`prelude: ${this.heap.toDisplay(L, -1)}`);
    for (const p of this.hostPtrs) m._lua_pushcclosure(L, p, 0);
    for (const s of ['mqtt_vs', '127.0.0.1']) this.heap.pushString(L, s);
    m._lua_pushnumber(L, 50000);
    this.heap.pushString(L, '127.0.0.1');
    m._lua_pushnumber(L, 1883);
    if (m._lua_pcallk(L, 10, 2, 0, 0, 0) !== 0) throw new Error(`prelude: ${this.heap.toDisplay(L, -1)}`);
    this.deliverRef = m._luaL_ref(L, LUA_REGISTRYINDEX);
    this.sandboxRef = m._luaL_ref(L, LUA_REGISTRYINDEX);
    if (this.loadChunk(this.source, chunkName) !== 0) {
      const msg = this.heap.toDisplay(L, -1);
      m._lua_settop(L, 0);
      return msg;
    }
    m._lua_rawgeti(L, LUA_REGISTRYINDEX, this.sandboxRef);
    m._lua_setupvalue(L, -2, 1);
    m._lua_pushvalue(L, -1);
    const ar = m._malloc(AR.size);
    m._lua_getinfo(L, this.heap.cstr('>S'), ar);
    this.userSource = this.heap.readInt(ar + AR.source);
    m._free(ar);
    this.mainRef = m._luaL_ref(L, LUA_REGISTRYINDEX);
    this.inspector = new VmInspector(this.heap, L, this.userSource, this.sandboxRef);
    return null;
  }

  private closeState(): void {
    if (this.L !== 0) this.m._lua_close(this.L);
    if (this.inspector) this.m._free(this.inspector.ar);
    this.L = 0;
    this.inspector = null;
  }

  private loadChunk(code: string, name: string): number {
    const bytes = Buffer.from(code, 'utf8');
    const p = this.m._malloc(bytes.length + 1);
    this.m.HEAPU8.set(bytes, p);
    const status = this.m._luaL_loadbufferx(this.L, p, bytes.length, this.heap.cstr(name), this.heap.cstr('t'));
    this.m._free(p);
    return status;
  }

  /** Runs the main chunk (defining callbacks), then asks Lua's own debug library for the active lines of every function it can reach. */
  private collectActiveLines(): number[] {
    const status = this.callProtected(() => 0);
    if (status !== null) return [];
    if (this.loadChunk(ACTIVE_LINES_WALKER, PRELUDE_CHUNK) !== 0) return [];
    this.m._lua_rawgeti(this.L, LUA_REGISTRYINDEX, this.mainRef);
    this.m._lua_rawgeti(this.L, LUA_REGISTRYINDEX, this.sandboxRef);
    this.heap.pushString(this.L, `@${this.file}`);
    if (this.m._lua_pcallk(this.L, 3, 1, 0, 0, 0) !== 0) return [];
    const text = Buffer.from(this.heap.toBytes(this.L, -1) ?? []).toString('utf8');
    this.m._lua_settop(this.L, 0);
    return [...new Set(text.split(',').filter(Boolean).map(Number))].sort((a, b) => a - b);
  }

  private hostRead(L: number): number {
    if (!this.inspecting) this.payload.record(this.m._lua_tonumberx(L, 1, 0), this.m._lua_tonumberx(L, 2, 0));
    return 0;
  }

  private hostSend(L: number): number {
    if (this.inspecting) return 0;
    const event = Buffer.from(this.heap.toBytes(L, 1) ?? []).toString('latin1') === 'EOM' ? 'EOM' : 'DATA';
    const bytes = (i: number) => (this.m._lua_type(L, i) === LUA_TSTRING ? this.heap.toBytes(L, i) : null);
    return this.hostAction({ kind: 'send', event, data: bytes(2) ?? new Uint8Array(), userToken: bytes(3), userSession: bytes(4) });
  }

  private hostAction(action: ScriptActionView): number {
    if (this.inspecting) return 0;
    if (action.kind === 'pipe') this.piped = true;
    if (action.kind === 'hold') this.held = true;
    this.channel.post({ type: 'action', delivery: this.delivery, action });
    return 0;
  }

  private onHook(L: number, ar: number): void {
    if (this.heap.readInt(ar + AR.event) === LUA_HOOKCOUNT) {
      this.spent += BUDGET_STEP;
      if (this.spent > DEFAULT_LIMITS.instructionBudget && this.unwinding === null) {
        this.spent = 0;
        this.heap.pushString(L, `instruction budget exceeded: more than ${DEFAULT_LIMITS.instructionBudget} Lua instructions in one callback (an endless loop?)`);
        this.m._lua_error(L);
      }
      return;
    }
    this.m._lua_getinfo(L, this.heap.cstr('Sl'), ar);
    if (this.heap.readInt(ar + AR.source) !== this.userSource || this.inspector === null) return;
    const line = this.heap.readInt(ar + AR.currentline);
    const depth = this.inspector.depth();
    this.events++;
    this.history.push({ line, depth });
    for (let msg = this.channel.poll(); msg !== null; msg = this.channel.poll()) this.handleWhileRunning(msg);
    const decision = this.decideStop(line, depth);
    if (decision === null) return;
    if (decision.kind === 'log') {
      this.inspecting = true;
      const text = this.inspector.interpolate(0, decision.message);
      this.inspecting = false;
      this.channel.post({ type: 'output', category: 'console', text: text + '\n', line });
      return;
    }
    this.pauseHere(decision.reason, line, null);
  }

  private decideStop(line: number, depth: number): StopDecision | null {
    if (this.stopAtEvent !== null) {
      if (this.events < this.stopAtEvent) return null;
      this.stopAtEvent = null;
      return { kind: 'stop', reason: 'step' };
    }
    if (this.pauseRequested) { this.pauseRequested = false; return { kind: 'stop', reason: 'pause' }; }
    if (this.mode === 'entry' && this.delivery >= 0) return { kind: 'stop', reason: 'entry' };
    const inspector = this.inspector as VmInspector;
    const bp = this.breakpoints.check(line, (expr) => {
      this.inspecting = true;
      try { return inspector.condition(0, expr); } finally { this.inspecting = false; }
    });
    if (bp !== null) return bp;
    switch (this.mode) {
      case 'stepIn': return { kind: 'stop', reason: 'step' };
      case 'next': return depth <= this.stepDepth ? { kind: 'stop', reason: 'step' } : null;
      case 'stepOut': return depth < this.stepDepth ? { kind: 'stop', reason: 'step' } : null;
      case 'byte': return this.payload.newByteRead ? { kind: 'stop', reason: 'step' } : null;
      default: return null;
    }
  }

  private onError(L: number): number {
    const isString = this.m._lua_type(L, 1) === LUA_TSTRING;
    const message = isString ? Buffer.from(this.heap.toBytes(L, 1) ?? []).toString('latin1') : this.heap.toDisplay(L, 1);
    if (!message.startsWith(UNWIND) && this.unwinding === null && this.inspector !== null && this.stopAtEvent === null && this.hasUserFrame()) {
      this.pauseHere('exception', this.history.length > 0 ? this.history[this.history.length - 1].line : 0, message);
    }
    this.m._lua_settop(L, 1);
    return 1;
  }

  private hasUserFrame(): boolean {
    const inspector = this.inspector as VmInspector;
    for (let level = 0; level < 64; level++) {
      if (inspector.isUserFrame(level)) return true;
      if (this.m._lua_getstack(this.L, level, inspector.ar) === 0) return false;
    }
    return false;
  }

  /** Blocks the VM at this point and serves the main thread until it resumes, replays or aborts. */
  private pauseHere(reason: StopInfo['reason'], line: number, exception: string | null): void {
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
      this.channel.post({ type: 'continued' });
      return;
    }
    this.unwinding = resume;
    this.heap.pushString(this.L, UNWIND);
    this.m._lua_error(this.L);
  }

  private control(msg: Exclude<ToWorker, { id: number }>): Resume | null {
    if (msg.type === 'setBreakpoints') { this.breakpoints.set(msg.breakpoints); return null; }
    if (msg.type === 'abort') return { kind: 'abort' };
    if (msg.type !== 'resume') return null;
    if (msg.mode !== 'stepBack' && msg.mode !== 'reverseContinue') return { kind: 'resume', mode: msg.mode };
    return { kind: 'replay', event: this.replayTarget(msg.mode) };
  }

  private replayTarget(mode: 'stepBack' | 'reverseContinue'): number {
    return replayTarget(mode, this.history, this.events, this.lastStop?.reason === 'exception', (line) => this.breakpoints.has(line));
  }

  private handleWhileRunning(msg: ToWorker): void {
    if ('id' in msg) { this.channel.post({ type: 'reply', id: msg.id, result: null, error: 'not paused' }); return; }
    if (msg.type === 'setBreakpoints') this.breakpoints.set(msg.breakpoints);
    else if (msg.type === 'pause') this.pauseRequested = true;
    else if (msg.type === 'abort') {
      this.unwinding = { kind: 'abort' };
      this.heap.pushString(this.L, UNWIND);
      this.m._lua_error(this.L);
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

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
