// The DAP session of debug type `protoext`: the one place that turns runtime events into DAP events and DAP requests into runtime commands.
import { readFileSync } from 'node:fs';
import { basename, isAbsolute, resolve } from 'node:path';
import {
  Breakpoint, Event, InitializedEvent, LoggingDebugSession, OutputEvent, Scope, Source, StackFrame, StoppedEvent, TerminatedEvent, Thread,
} from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { INSPECTOR_EVENT, INSPECTOR_STATE_REQUEST, STEP_TO_NEXT_BYTE_REQUEST } from './customMessages';
import { DebugRuntime, type RuntimeEvent } from './debugRuntime';
import { LiveConnection } from './liveConnection';
import { DecisionModel, type DecisionSettings } from './decisionModel';
import { buildInspectorState, holdWarning, referenceOf, type InspectorState, type ScriptView } from './inspectorModel';
import type { AttachArguments, LaunchArguments } from './launchConfig';
import { concatAll, resolvePacket, type ReadFile } from '../packets/packetSource';
import { snapBreakpoints } from './breakpointSnap';
import { decisionVariables, PAYLOAD_MEMORY, payloadVariables, toVariable, VariableRefs } from './variablesModel';
import type { BreakpointSpec, FrameView, LuaValueView, ResumeMode, StopInfo } from './workerProtocol';

const THREAD_ID = 1;

export interface SessionOptions {
  /** Folder holding the worker script and lua52.{js,wasm}; defaults to the adapter's own folder. */
  runtimeDir?: string;
  readFile?: ReadFile;
}

export class ProtoextDebugSession extends LoggingDebugSession {
  private runtime: DebugRuntime | null = null;
  private live: LiveConnection | null = null;
  private program = '';
  private activeLines: number[] = [];
  private breakpoints: BreakpointSpec[] = [];
  private programLoaded!: Promise<void>;
  private markLoaded!: () => void;
  private configurationDone!: Promise<void>;
  private markConfigured!: () => void;
  private readonly refs = new VariableRefs();
  private current: StopInfo | null = null;
  private deliveries = 0;
  private packetBytes: Uint8Array = new Uint8Array();
  private lastHeld = false;
  private lastStop: StopInfo | null = null;
  private decisions = new DecisionModel({});
  private scriptToken: ScriptView = { token: null, from: null };
  private readonly readFile: ReadFile;
  private readonly runtimeDir: string;

  constructor(options: SessionOptions = {}) {
    super();
    this.readFile = options.readFile ?? ((p) => readFileSync(p));
    this.runtimeDir = options.runtimeDir ?? __dirname;
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
    this.programLoaded = new Promise((r) => { this.markLoaded = r; });
    this.configurationDone = new Promise((r) => { this.markConfigured = r; });
  }

  protected override initializeRequest(response: DebugProtocol.InitializeResponse): void {
    response.body = {
      supportsConfigurationDoneRequest: true,
      supportsConditionalBreakpoints: true,
      supportsHitConditionalBreakpoints: true,
      supportsLogPoints: true,
      supportsEvaluateForHovers: true,
      supportsSetVariable: true,
      supportsStepBack: true,
      supportsReadMemoryRequest: true,
      supportsSteppingGranularity: true,
      supportsExceptionInfoRequest: true,
      supportsTerminateRequest: true,
      supportsRestartRequest: false,
    };
    this.sendResponse(response);
    this.sendEvent(new InitializedEvent());
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.markConfigured();
    this.sendResponse(response);
  }

  protected override async launchRequest(response: DebugProtocol.LaunchResponse, args: LaunchArguments): Promise<void> {
    try {
      const cwd = args.cwd ?? process.cwd();
      this.program = isAbsolute(args.program) ? args.program : resolve(cwd, args.program);
      const packet = resolvePacket(args.packet, args.chunks, this.readFile, cwd);
      await this.begin(args, packet.bytes, packet.deliveries, packet.description, args.stopOnEntry ?? false);
      this.sendResponse(response);
    } catch (e) {
      this.markLoaded();
      this.sendErrorResponse(response, 3001, `protoext launch: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /**
   * Attach takes the next new connection of a running local LB (its debug hook socket): each client chunk
   * runs here, paused as the user likes, while that client waits; the LB applies what the script did.
   */
  protected override async attachRequest(response: DebugProtocol.AttachResponse, args: AttachArguments): Promise<void> {
    try {
      const cwd = args.cwd ?? process.cwd();
      this.program = isAbsolute(args.program) ? args.program : resolve(cwd, args.program);
      // Load first so breakpoints verify while we wait for a client.
      await this.startRuntime();
      this.decisions = new DecisionModel(args);
      this.live = await LiveConnection.open(args.hook, {
        connection: (conn, info) => {
          this.say('console', `protoext: live connection ${conn} from ${info.client.ip}:${info.client.port}; its client waits while the script is paused here\n`);
          this.runtime?.run(false, this.breakpoints, info);
        },
        data: (bytes) => {
          this.deliveries++;
          this.packetBytes = concatAll([this.packetBytes, bytes]);
          this.runtime?.deliver(bytes);
        },
        end: (reason) => {
          this.say('console', `protoext: the LB left the script phase of this connection (${reason})\n`);
          this.runtime?.end();
        },
      });
      this.say('console', `protoext: attached to the local LB (pid ${this.live.lbPid}, ${this.live.path}); waiting for its next client connection\n`);
      this.sendResponse(response);
    } catch (e) {
      this.markLoaded();
      this.sendErrorResponse(response, 3002, `protoext attach: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private async begin(settings: DecisionSettings, bytes: Uint8Array, deliveries: Uint8Array[], description: string, stopOnEntry: boolean): Promise<void> {
    this.decisions = new DecisionModel(settings);
    this.deliveries = deliveries.length;
    this.packetBytes = bytes;
    if (this.runtime === null) await this.startRuntime();
    this.say('console', `protoext: ${description}; ${deliveries.length} deliver${deliveries.length === 1 ? 'y' : 'ies'} (${deliveries.map((d) => d.length).join(' + ')} bytes)\n`);
    // VS Code sends breakpoints after `initialized`; start only once they are in (bounded, as mock-debug does).
    await Promise.race([this.configurationDone, new Promise((r) => setTimeout(r, 2000))]);
    this.runtime?.run(stopOnEntry, this.breakpoints, undefined);
    for (const d of deliveries) this.runtime?.deliver(d);
    this.runtime?.end();
  }

  private async startRuntime(): Promise<void> {
    const runtime = new DebugRuntime(this.runtimeDir);
    this.runtime = runtime;
    runtime.onEvent((ev) => this.onRuntimeEvent(ev));
    const source = Buffer.from(this.readFile(this.program)).toString('utf8');
    const loaded = await runtime.load(this.program, source);
    this.activeLines = loaded.activeLines;
    this.markLoaded();
    if (loaded.error !== null) throw new Error(loaded.error);
  }

  protected override async setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): Promise<void> {
    const wanted = args.breakpoints ?? (args.lines ?? []).map((line) => ({ line }));
    const path = args.source.path ?? '';
    await Promise.race([this.programLoaded, new Promise((r) => setTimeout(r, 5000))]);
    const isProgram = this.program !== '' && resolve(path) === resolve(this.program);
    const snapped = snapBreakpoints(wanted, isProgram ? this.activeLines : []);
    if (isProgram) {
      this.breakpoints = snapped.filter((b) => b.spec !== null).map((b) => b.spec as BreakpointSpec);
      this.runtime?.setBreakpoints(this.breakpoints);
    }
    response.body = {
      breakpoints: snapped.map((b) => {
        const bp: DebugProtocol.Breakpoint = new Breakpoint(b.spec !== null, b.spec?.line ?? b.requested, undefined, new Source(basename(path), path));
        if (b.message) bp.message = b.message;
        return bp;
      }),
    };
    this.sendResponse(response);
  }

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    response.body = { threads: [new Thread(THREAD_ID, 'client connection (on_data)')] };
    this.sendResponse(response);
  }

  private onRuntimeEvent(ev: RuntimeEvent): void {
    switch (ev.type) {
      case 'restarted':
        this.decisions.reset();
        this.scriptToken = { token: null, from: null };
        this.lastHeld = false;
        return;
      case 'action':
        if (ev.action.kind === 'send') {
          if (this.scriptToken.token === null && ev.action.userToken !== null) this.scriptToken = { token: ev.action.userToken, from: 'user_token' };
          const d = this.decisions.onSend(ev.action.userToken, ev.action.userSession);
          if (ev.action.event === 'EOM') this.decisions.onEom();
          if (d) this.say('console', `protoext: ns.send ${ev.action.event}: ${d.reason} -> ${d.service ?? 'no service'}\n`);
        } else this.say('console', `protoext: ${ev.action.kind === 'hold' ? 'ctxt:hold (waiting for more bytes)' : ev.action.kind === 'pipe' ? 'ns.pipe: the rest of the connection bypasses the script' : 'ctxt:close'}\n`);
        return;
      case 'output':
        this.say(ev.category, ev.text, ev.line);
        return;
      case 'stopped':
        this.onStopped(ev.stop);
        return;
      case 'continued':
        return;
      case 'deliveryDone':
        if (!ev.replayed) this.live?.answer(ev.result);
        this.lastHeld = ev.held;
        if (ev.error !== null) this.say('stderr', `protoext: on_data raised an error; the connection is reset: ${ev.error}\n`);
        return;
      case 'finished':
        if (ev.error !== null && !ev.error.startsWith('protoext')) this.say('stderr', `protoext: ${ev.error}\n`);
        this.say('console', `protoext: run finished after ${ev.events} line event(s)\n`);
        if (this.lastHeld) this.warnHeldForever();
        this.sendEvent(new TerminatedEvent());
        return;
    }
  }

  private onStopped(stop: StopInfo): void {
    this.current = stop;
    this.lastStop = stop;
    this.refs.clear();
    const reason = stop.reason === 'exception' ? 'exception' : stop.reason;
    const event = new StoppedEvent(reason, THREAD_ID, stop.exception ?? undefined) as DebugProtocol.StoppedEvent;
    if (stop.exception) event.body.description = `error(): ${stop.exception}`;
    this.sendEvent(event);
    this.sendEvent(new Event(INSPECTOR_EVENT, this.inspectorState()));
  }

  /** The run ended with the script holding: if the packet was complete, that is a hang on a live connection. */
  private warnHeldForever(): void {
    const warning = holdWarning(referenceOf(this.packetBytes).view);
    if (warning === null) return;
    this.say('stderr', `protoext: ${warning}\n`);
    const base = this.lastStop;
    const stop: StopInfo = { reason: 'pause', line: base?.line ?? 0, event: base?.event ?? 0, delivery: this.deliveries - 1, data: this.packetBytes, reads: base?.reads ?? [], lastRead: base?.lastRead ?? null, exception: null, clientIdLocal: null };
    const state = buildInspectorState(this.program, stop, this.deliveries, this.scriptToken, this.decisions.decision);
    this.sendEvent(new Event(INSPECTOR_EVENT, { ...state, reason: 'finished (holding)', warning }));
  }

  /** What the script extracted: the user_token it sent, else a clientID local it has filled in so far. */
  private scriptView(stop: StopInfo): ScriptView {
    if (this.scriptToken.token !== null) return this.scriptToken;
    return stop.clientIdLocal !== null ? { token: stop.clientIdLocal, from: 'local clientID' } : this.scriptToken;
  }

  inspectorState(): InspectorState | null {
    if (this.current === null) return null;
    return buildInspectorState(this.program, this.current, this.deliveries, this.scriptView(this.current), this.decisions.decision);
  }

  protected override async stackTraceRequest(response: DebugProtocol.StackTraceResponse): Promise<void> {
    const frames = await this.ask<FrameView[]>({ type: 'stack' }, []);
    const source = new Source(basename(this.program), this.program);
    response.body = {
      stackFrames: frames.map((f) => new StackFrame(f.level + 1, f.name, source, f.line)),
      totalFrames: frames.length,
    };
    this.sendResponse(response);
  }

  protected override scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): void {
    const level = args.frameId - 1;
    response.body = {
      scopes: [
        new Scope('Locals', this.refs.add({ kind: 'locals', level }), false),
        new Scope('Upvalues', this.refs.add({ kind: 'upvalues', level }), false),
        new Scope('Globals', this.refs.add({ kind: 'globals' }), true),
        new Scope('Payload', this.refs.add({ kind: 'payload' }), false),
        new Scope('Decision', this.refs.add({ kind: 'decision' }), false),
      ],
    };
    this.sendResponse(response);
  }

  protected override async variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): Promise<void> {
    const src = this.refs.get(args.variablesReference);
    let variables: DebugProtocol.Variable[] = [];
    if (src && this.current) {
      if (src.kind === 'payload') variables = payloadVariables(this.current, this.deliveries);
      else if (src.kind === 'decision') variables = decisionVariables(this.decisions.decision);
      else {
        const views = await this.ask<LuaValueView[]>(
          src.kind === 'locals' ? { type: 'locals', level: src.level }
            : src.kind === 'upvalues' ? { type: 'upvalues', level: src.level }
              : src.kind === 'globals' ? { type: 'globals' } : { type: 'children', handle: src.handle }, []);
        variables = views.map((v) => toVariable(v, this.refs, src.kind === 'table' ? src.path : null));
      }
    }
    response.body = { variables };
    this.sendResponse(response);
  }

  protected override async evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): Promise<void> {
    if (!this.runtime || !this.current) { this.sendErrorResponse(response, 3003, 'not stopped'); return; }
    try {
      const level = args.frameId !== undefined ? args.frameId - 1 : await this.topLevel();
      const view = await this.runtime.request<LuaValueView>({ type: 'evaluate', level, expression: args.expression });
      const v = toVariable({ ...view, name: args.expression }, this.refs, null);
      response.body = { result: v.value, type: v.type, variablesReference: v.variablesReference };
      this.sendResponse(response);
    } catch (e) {
      this.sendErrorResponse(response, 3004, e instanceof Error ? e.message : String(e));
    }
  }

  protected override async setVariableRequest(response: DebugProtocol.SetVariableResponse, args: DebugProtocol.SetVariableArguments): Promise<void> {
    const src = this.refs.get(args.variablesReference);
    if (!this.runtime || !src || (src.kind !== 'locals' && src.kind !== 'upvalues')) {
      this.sendErrorResponse(response, 3005, 'only locals and upvalues can be set (write table fields in the Debug Console)');
      return;
    }
    try {
      const view = await this.runtime.request<LuaValueView>({ type: 'setLocal', level: src.level, scope: src.kind === 'locals' ? 'local' : 'upvalue', name: args.name, expression: args.value });
      const v = toVariable(view, this.refs, null);
      response.body = { value: v.value, type: v.type, variablesReference: v.variablesReference };
      this.sendResponse(response);
    } catch (e) {
      this.sendErrorResponse(response, 3006, e instanceof Error ? e.message : String(e));
    }
  }

  protected override readMemoryRequest(response: DebugProtocol.ReadMemoryResponse, args: DebugProtocol.ReadMemoryArguments): void {
    const data = this.current && args.memoryReference === PAYLOAD_MEMORY ? this.current.data : new Uint8Array();
    const start = Math.max(0, Number(args.offset ?? 0));
    const slice = data.subarray(Math.min(start, data.length), Math.min(start + args.count, data.length));
    response.body = { address: `0x${start.toString(16)}`, data: Buffer.from(slice).toString('base64'), unreadableBytes: args.count - slice.length };
    this.sendResponse(response);
  }

  protected override exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse): void {
    response.body = { exceptionId: 'error', description: this.current?.exception ?? '', breakMode: 'always' };
    this.sendResponse(response);
  }

  protected override continueRequest(response: DebugProtocol.ContinueResponse): void { this.resume(response, 'continue'); }
  protected override nextRequest(response: DebugProtocol.NextResponse, args: DebugProtocol.NextArguments): void { this.resume(response, args.granularity === 'instruction' ? 'byte' : 'next'); }
  protected override stepInRequest(response: DebugProtocol.StepInResponse, args: DebugProtocol.StepInArguments): void { this.resume(response, args.granularity === 'instruction' ? 'byte' : 'stepIn'); }
  protected override stepOutRequest(response: DebugProtocol.StepOutResponse): void { this.resume(response, 'stepOut'); }
  protected override stepBackRequest(response: DebugProtocol.StepBackResponse): void { this.resume(response, 'stepBack'); }
  protected override reverseContinueRequest(response: DebugProtocol.ReverseContinueResponse): void { this.resume(response, 'reverseContinue'); }

  protected override pauseRequest(response: DebugProtocol.PauseResponse): void {
    this.runtime?.pause();
    this.sendResponse(response);
  }

  protected override customRequest(command: string, response: DebugProtocol.Response): void {
    if (command === STEP_TO_NEXT_BYTE_REQUEST) { this.resume(response, 'byte'); return; }
    if (command === INSPECTOR_STATE_REQUEST) { response.body = this.inspectorState(); this.sendResponse(response); return; }
    this.sendErrorResponse(response, 3007, `unknown request ${command}`);
  }

  protected override async disconnectRequest(response: DebugProtocol.DisconnectResponse): Promise<void> {
    await this.stopRuntime();
    this.sendResponse(response);
  }

  protected override async terminateRequest(response: DebugProtocol.TerminateResponse): Promise<void> {
    await this.stopRuntime();
    this.sendResponse(response);
    this.sendEvent(new TerminatedEvent());
  }

  private async stopRuntime(): Promise<void> {
    const runtime = this.runtime;
    this.runtime = null;
    this.live?.close();
    this.live = null;
    if (runtime) await runtime.dispose();
  }

  /** Responds first, then lets the worker run: its stop arrives as a later event, so each response precedes its events. */
  private resume(response: DebugProtocol.Response, mode: ResumeMode): void {
    if (!this.runtime || !this.current) { this.sendErrorResponse(response, 3008, 'not stopped'); return; }
    this.current = null;
    this.refs.clear();
    this.sendResponse(response);
    this.runtime.resume(mode);
  }

  private async topLevel(): Promise<number> {
    const frames = await this.ask<FrameView[]>({ type: 'stack' }, []);
    return frames.length > 0 ? frames[0].level : 0;
  }

  private async ask<T>(req: Parameters<DebugRuntime['request']>[0], fallback: T): Promise<T> {
    if (!this.runtime) return fallback;
    try { return await this.runtime.request<T>(req); } catch { return fallback; }
  }

  private say(category: 'console' | 'stderr', text: string, line: number | null = null): void {
    const e = new OutputEvent(text, category) as DebugProtocol.OutputEvent;
    if (line !== null) { e.body.source = new Source(basename(this.program), this.program); e.body.line = line; }
    this.sendEvent(e);
  }
}
