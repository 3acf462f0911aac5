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
import { DecisionModel } from './decisionModel';
import type { InspectorState } from './inspectorModel';
import type { AttachArguments, LaunchArguments } from './launchConfig';
import { LaunchFeed, type FeedHandlers, type PacketFeed } from './packetFeed';
import { resolvePacket, type ReadFile } from '../packets/packetSource';
import { RunState } from './runState';
import { snapBreakpoints } from './breakpointSnap';
import { samePath } from '../platform/samePath';
import { StatementMap } from './statementMap';
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
  private feed: PacketFeed | null = null;
  private run: RunState | null = null;
  private program = '';
  private statements: StatementMap | null = null;
  private breakpoints: BreakpointSpec[] = [];
  private programLoaded!: Promise<void>;
  private markLoaded!: () => void;
  private configurationDone!: Promise<void>;
  private markConfigured!: () => void;
  private readonly refs = new VariableRefs();
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
      const decisions = new DecisionModel(args);
      await this.startRuntime();
      this.run = new RunState(this.program, decisions);
      this.say('console', `protoext: the load-balancing decision shown is ${decisions.basis}\n`);
      // VS Code sends breakpoints after `initialized`; start only once they are in (bounded, as mock-debug does).
      await Promise.race([this.configurationDone, new Promise((r) => setTimeout(r, 2000))]);
      await this.startFeed(new LaunchFeed(packet.deliveries, packet.description), args.stopOnEntry ?? false);
      this.sendResponse(response);
    } catch (e) {
      this.markLoaded();
      this.sendErrorResponse(response, 3001, `protoext launch: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /**
   * Attach takes the next new connection of a running local LB (its debug hook socket): each client chunk
   * runs here, paused as the user likes, while that client waits; the LB applies what the script did and
   * reports the decision it made, which is the one shown.
   */
  protected override async attachRequest(response: DebugProtocol.AttachResponse, args: AttachArguments): Promise<void> {
    try {
      const cwd = args.cwd ?? process.cwd();
      this.program = isAbsolute(args.program) ? args.program : resolve(cwd, args.program);
      // Load first so breakpoints verify while we wait for a client.
      await this.startRuntime();
      this.run = new RunState(this.program, null);
      await this.startFeed(new LiveConnection(args.hook), false);
      this.sendResponse(response);
    } catch (e) {
      this.markLoaded();
      this.sendErrorResponse(response, 3002, `protoext attach: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Launch and attach alike: the feed's chunks go to the VM and into the run state; its results go back to the feed. */
  private async startFeed(feed: PacketFeed, stopOnEntry: boolean): Promise<void> {
    this.feed = feed;
    const handlers: FeedHandlers = {
      connection: (info) => this.runtime?.run(stopOnEntry, this.breakpoints, info),
      data: (bytes) => {
        this.run?.chunkArrived(bytes);
        this.runtime?.deliver(bytes);
      },
      end: () => this.runtime?.end(),
      decision: (decision) => {
        if (!this.run) return;
        this.say('console', `protoext: ${this.run.decidedByLb(decision)}\n`);
        this.sendInspectorState(this.run.inspectorState());
      },
      console: (text) => this.say('console', text),
    };
    await feed.start(handlers);
  }

  private async startRuntime(): Promise<void> {
    const runtime = new DebugRuntime(this.runtimeDir);
    this.runtime = runtime;
    runtime.onEvent((ev) => this.onRuntimeEvent(ev));
    const source = Buffer.from(this.readFile(this.program)).toString('utf8');
    const loaded = await runtime.load(this.program, source);
    this.statements = new StatementMap(loaded.statements);
    this.markLoaded();
    if (loaded.error !== null) throw new Error(loaded.error);
  }

  protected override async setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): Promise<void> {
    const wanted = args.breakpoints ?? (args.lines ?? []).map((line) => ({ line }));
    const path = args.source.path ?? '';
    await Promise.race([this.programLoaded, new Promise((r) => setTimeout(r, 5000))]);
    const isProgram = this.program !== '' && samePath(path, this.program);
    const snapped = snapBreakpoints(wanted, isProgram ? this.statements : null);
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

  /** The one place runtime events become DAP events; the run state keeps what they mean. */
  private onRuntimeEvent(ev: RuntimeEvent): void {
    const run = this.run;
    switch (ev.type) {
      case 'restarted':
        run?.restarted();
        return;
      case 'action':
        if (run) this.say('console', `protoext: ${run.action(ev.action)}\n`);
        return;
      case 'output':
        this.say(ev.category, ev.text, ev.line);
        return;
      case 'stopped':
        this.onStopped(ev.stop);
        return;
      case 'deliveryDone':
        if (!ev.replayed) this.feed?.answer(ev.result);
        run?.deliveryDone(ev.held);
        if (ev.error !== null) this.say('stderr', `protoext: on_data raised an error; the connection is reset: ${ev.error}\n`);
        return;
      case 'finished': {
        if (ev.error !== null && !ev.error.startsWith('protoext')) this.say('stderr', `protoext: ${ev.error}\n`);
        this.say('console', `protoext: run finished after ${ev.events} line event(s)\n`);
        const holding = run?.finishedHolding() ?? null;
        if (holding) {
          this.say('stderr', `protoext: ${holding.warning}\n`);
          this.sendInspectorState(holding);
        }
        this.sendEvent(new TerminatedEvent());
        return;
      }
      case 'failed':
        this.say('stderr', `protoext: the debug VM failed, so this session ends: ${ev.error}\n`);
        this.sendEvent(new TerminatedEvent());
        return;
    }
  }

  private onStopped(stop: StopInfo): void {
    this.run?.stopped(stop);
    this.refs.clear();
    const event = new StoppedEvent(stop.reason, THREAD_ID, stop.exception ?? undefined) as DebugProtocol.StoppedEvent;
    if (stop.exception) event.body.description = `error(): ${stop.exception}`;
    this.sendEvent(event);
    this.sendInspectorState(this.inspectorState());
  }

  private sendInspectorState(state: InspectorState | null): void {
    if (state !== null) this.sendEvent(new Event(INSPECTOR_EVENT, state));
  }

  inspectorState(): InspectorState | null {
    return this.run?.current ? this.run.inspectorState() : null;
  }

  protected override async stackTraceRequest(response: DebugProtocol.StackTraceResponse): Promise<void> {
    await this.answer(response, 3009, async () => {
      const frames = await this.ask<FrameView[]>({ type: 'stack' });
      const source = new Source(basename(this.program), this.program);
      response.body = {
        stackFrames: frames.map((f) => new StackFrame(f.level + 1, f.name, source, f.line)),
        totalFrames: frames.length,
      };
    });
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
    await this.answer(response, 3010, async () => {
      const src = this.refs.get(args.variablesReference);
      const run = this.run;
      let variables: DebugProtocol.Variable[] = [];
      if (src && run?.current) {
        if (src.kind === 'payload') variables = payloadVariables(run.current, run.deliveryCount);
        else if (src.kind === 'decision') variables = decisionVariables(run.decision);
        else {
          const views = await this.ask<LuaValueView[]>(
            src.kind === 'locals' ? { type: 'locals', level: src.level }
              : src.kind === 'upvalues' ? { type: 'upvalues', level: src.level }
                : src.kind === 'globals' ? { type: 'globals' } : { type: 'children', handle: src.handle });
          variables = views.map((v) => toVariable(v, this.refs, src.kind === 'table' ? src.path : null));
        }
      }
      response.body = { variables };
    });
  }

  protected override async evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): Promise<void> {
    if (!this.run?.current) { this.sendErrorResponse(response, 3003, 'not stopped'); return; }
    await this.answer(response, 3004, async () => {
      const level = args.frameId !== undefined ? args.frameId - 1 : await this.topLevel();
      const view = await this.ask<LuaValueView>({ type: 'evaluate', level, expression: args.expression });
      const v = toVariable({ ...view, name: args.expression }, this.refs, null);
      response.body = { result: v.value, type: v.type, variablesReference: v.variablesReference };
    });
  }

  protected override async setVariableRequest(response: DebugProtocol.SetVariableResponse, args: DebugProtocol.SetVariableArguments): Promise<void> {
    const src = this.refs.get(args.variablesReference);
    if (!src || (src.kind !== 'locals' && src.kind !== 'upvalues')) {
      this.sendErrorResponse(response, 3005, 'only locals and upvalues can be set (write table fields in the Debug Console)');
      return;
    }
    await this.answer(response, 3006, async () => {
      const view = await this.ask<LuaValueView>({ type: 'setLocal', level: src.level, scope: src.kind === 'locals' ? 'local' : 'upvalue', name: args.name, expression: args.value });
      const v = toVariable(view, this.refs, null);
      response.body = { value: v.value, type: v.type, variablesReference: v.variablesReference };
    });
  }

  protected override readMemoryRequest(response: DebugProtocol.ReadMemoryResponse, args: DebugProtocol.ReadMemoryArguments): void {
    const current = this.run?.current ?? null;
    const data = current && args.memoryReference === PAYLOAD_MEMORY ? current.data : new Uint8Array();
    const start = Math.max(0, Number(args.offset ?? 0));
    const slice = data.subarray(Math.min(start, data.length), Math.min(start + args.count, data.length));
    response.body = { address: `0x${start.toString(16)}`, data: Buffer.from(slice).toString('base64'), unreadableBytes: args.count - slice.length };
    this.sendResponse(response);
  }

  protected override exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse): void {
    response.body = { exceptionId: 'error', description: this.run?.current?.exception ?? '', breakMode: 'always' };
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
    this.feed?.close();
    this.feed = null;
    if (runtime) await runtime.dispose();
  }

  /** Responds first, then lets the worker run: its stop arrives as a later event, so each response precedes its events. */
  private resume(response: DebugProtocol.Response, mode: ResumeMode): void {
    if (!this.runtime || !this.run?.current) { this.sendErrorResponse(response, 3008, 'not stopped'); return; }
    this.run.resumed();
    this.refs.clear();
    this.sendResponse(response);
    this.runtime.resume(mode);
  }

  private async topLevel(): Promise<number> {
    const frames = await this.ask<FrameView[]>({ type: 'stack' });
    return frames.length > 0 ? frames[0].level : 0;
  }

  /** Asks the paused VM; its failure (not paused, gone, an engine error) is the request's error, never an empty answer. */
  private ask<T>(req: Parameters<DebugRuntime['request']>[0]): Promise<T> {
    if (!this.runtime) return Promise.reject(new Error('the debug VM is not running'));
    return this.runtime.request<T>(req);
  }

  /** Runs `fill` (which sets response.body) and responds, or responds with the error it raised. */
  private async answer(response: DebugProtocol.Response, code: number, fill: () => Promise<void>): Promise<void> {
    try {
      await fill();
      this.sendResponse(response);
    } catch (e) {
      this.sendErrorResponse(response, code, e instanceof Error ? e.message : String(e));
    }
  }

  private say(category: 'console' | 'stderr', text: string, line: number | null = null): void {
    const e = new OutputEvent(text, category) as DebugProtocol.OutputEvent;
    if (line !== null) { e.body.source = new Source(basename(this.program), this.program); e.body.line = line; }
    this.sendEvent(e);
  }
}
