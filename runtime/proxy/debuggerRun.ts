// One connection's script phase while an attached debugger runs it (scriptTakeover.ts): chunks go out one at a time, in order,
// and each DeliveryResult that comes back is applied by the session exactly as the engine's would be.
import type { Decision, PersistenceSettings } from '../lb/types';
import type { DeliveryResult, ScriptAction, ScriptError } from '../ns/types';
import type { ResetReason } from './events';
import type { ScriptTakeover } from '../ns/scriptTakeover';

/** What a DebuggerRun needs from its ClientSession. */
export interface DebuggedSession {
  phaseNow(): 'script' | 'piped' | 'done';
  readonly maxHeldBytes: number;
  reset(reason: ResetReason, message: string, error?: ScriptError | null): void;
  /** Applies a result's actions as the engine's would be; false when the session ended on one. */
  applyActions(actions: readonly ScriptAction[]): boolean;
  emitHold(heldBytes: number): void;
  /** The run took a chunk or finished one: the session reads the client again only when the run is not busy. */
  debuggerChanged(): void;
  /** The run is over (pipe, close, client gone, or the debugger left): the session forgets it. */
  runEnded(): void;
  /** The debugger left before the script acted: the engine runs the phase with every byte so far as one delivery. */
  replayOnEngine(bytes: Buffer): DeliveryResult | null;
}

export class DebuggerRun {
  /** A chunk is with the debugger (which may sit at a breakpoint): the client is not read meanwhile. */
  busy = false;
  /** Client chunks the debugger saw: the engine gets them if the debugger leaves before the script acted. */
  private chunks: Uint8Array[] = [];
  private acted = false;
  private held = 0;
  private over = false;

  constructor(
    private readonly takeover: ScriptTakeover,
    private readonly session: DebuggedSession,
  ) {}

  deliver(chunk: Buffer): void {
    const pending = this.held + chunk.length;
    if (pending > this.session.maxHeldBytes) {
      this.session.reset('first-flight-too-large', `${pending} bytes awaiting the script under the debugger, more than the limit of ${this.session.maxHeldBytes}`);
      return;
    }
    this.busy = true;
    this.session.debuggerChanged();
    this.chunks.push(chunk);
    this.takeover.deliver(chunk).then(
      (result) => this.apply(result, chunk.length),
      (err: unknown) => this.left(err instanceof Error ? err.message : String(err)),
    );
  }

  /** The script phase is over for the session's own reasons: the debugger may finish its run. */
  end(reason: string): void {
    if (this.over) return;
    this.over = true;
    this.chunks = [];
    this.takeover.end(reason);
    this.session.runEnded();
  }

  /** The session decided on what the debugger's result sent: the debugger learns the LB's own decision. */
  decided(decision: Decision, persistence: PersistenceSettings): void {
    if (!this.over) this.takeover.decided(decision, persistence);
  }

  /** Applies a DeliveryResult (the debugger's, or the engine's after the debugger left). */
  private apply(result: DeliveryResult, chunkLength: number): void {
    const session = this.session;
    if (session.phaseNow() === 'done') return;
    if (result.error) {
      session.reset('script-error', result.error.message, result.error);
      return;
    }
    // A hold keeps exactly the stream given (maybe a split remainder); without heldData, everything so far.
    this.held = result.held ? result.heldData?.length ?? this.held + chunkLength : 0;
    if (result.actions.length > 0) this.acted = true;
    if (!session.applyActions(result.actions)) return;
    const phase = session.phaseNow();
    if (phase !== 'script') this.end(phase === 'piped' ? 'pipe' : 'close');
    else if (result.held) session.emitHold(this.held);
    this.busy = false;
    session.debuggerChanged();
  }

  /**
   * The debugger detached mid-way. Before the script acted, the engine takes over with every byte so far as
   * one delivery (the client never notices); after, the script's state lives only in the debugger: reset.
   */
  private left(why: string): void {
    this.over = true;
    this.busy = false;
    this.session.runEnded();
    const phase = this.session.phaseNow();
    if (phase !== 'script') {
      if (phase === 'piped') this.session.debuggerChanged();
      return;
    }
    if (this.acted) {
      this.session.reset('script-error', `the debugger detached (${why}) after the script acted on this connection; the engine cannot continue its state`);
      return;
    }
    const bytes = Buffer.concat(this.chunks);
    this.chunks = [];
    this.held = 0;
    const result = this.session.replayOnEngine(bytes);
    if (result) this.apply(result, bytes.length);
  }
}
