// The state of one debugged connection, without DAP: the bytes so far, the stop, what the script extracted, the decision, holds and warnings.
import type { DebugDecision, DecisionModel } from './decisionModel';
import { buildInspectorState, holdWarning, referenceOf, type FieldMap, type InspectorState, type ScriptView } from './inspectorModel';
import { concatAll } from '../packets/packetSource';
import type { ScriptActionView, StopInfo } from './workerProtocol';

/** What the Decision scope and the inspector say before there is a decision to show. */
export type DecisionStatus = { kind: 'none' } | { kind: 'pending' } | { kind: 'made'; decision: DebugDecision };

/**
 * Fed by the session from the runtime's events and the packet feed; answers what the session shows. `decisions`
 * is the local model (launch) or null when the LB decides and reports (attach). `fieldMap` describes the packet
 * (the MQTT CONNECT decoder today; another protocol plugs its own in).
 */
export class RunState {
  private deliveries = 0;
  private packet: Uint8Array = new Uint8Array();
  private held = false;
  private stop: StopInfo | null = null;
  private lastStop: StopInfo | null = null;
  private scriptToken: ScriptView = { token: null, from: null };
  private lbDecision: DebugDecision | null = null;
  private sentSinceDecision = false;

  constructor(
    readonly program: string,
    private readonly decisions: DecisionModel | null,
    private readonly fieldMap: FieldMap = referenceOf,
  ) {}

  /** Stopped now (null while running). */
  get current(): StopInfo | null {
    return this.stop;
  }

  get deliveryCount(): number {
    return this.deliveries;
  }

  get decision(): DecisionStatus {
    const made = this.decisions ? this.decisions.decision : this.lbDecision;
    if (made !== null) return { kind: 'made', decision: made };
    return this.sentSinceDecision ? { kind: 'pending' } : { kind: 'none' };
  }

  /** A client chunk arrived (launch: each configured delivery; attach: each chunk the LB hands over). */
  chunkArrived(bytes: Uint8Array): void {
    this.deliveries++;
    this.packet = concatAll([this.packet, bytes]);
  }

  /** The run starts over (a replay re-executes from the start): what the script did no longer applies. */
  restarted(): void {
    this.decisions?.reset();
    this.scriptToken = { token: null, from: null };
    this.held = false;
    this.sentSinceDecision = false;
  }

  /** A script action; returns the Debug Console line that tells it. */
  action(action: ScriptActionView): string {
    if (action.kind !== 'send') {
      return action.kind === 'hold' ? 'ctxt:hold (waiting for more bytes)' : action.kind === 'pipe' ? 'ns.pipe: the rest of the connection bypasses the script' : 'ctxt:close';
    }
    if (this.scriptToken.token === null && action.userToken !== null) this.scriptToken = { token: action.userToken, from: 'user_token' };
    if (this.decisions === null) {
      if (this.lbDecision === null) this.sentSinceDecision = true;
      return `ns.send ${action.event}: the LB decides when this delivery's result reaches it`;
    }
    const d = this.decisions.onSend(action.userToken, action.userSession);
    if (action.event === 'EOM') this.decisions.onEom();
    return d ? `ns.send ${action.event}: ${d.reason} -> ${d.service ?? 'no service'}` : `ns.send ${action.event}`;
  }

  /** Attach: the LB's own decision; returns the Debug Console line. */
  decidedByLb(decision: DebugDecision): string {
    this.lbDecision = decision;
    this.sentSinceDecision = false;
    return `the LB decided: ${decision.reason} -> ${decision.service ?? 'no service'} (persistence ${decision.persistenceType}: ${decision.persistence})`;
  }

  deliveryDone(held: boolean): void {
    this.held = held;
  }

  stopped(stop: StopInfo): void {
    this.stop = stop;
    this.lastStop = stop;
  }

  resumed(): void {
    this.stop = null;
  }

  /** The inspector at the current stop, or at the last one while running (an LB decision can arrive then). */
  inspectorState(): InspectorState | null {
    const stop = this.stop ?? this.lastStop;
    if (stop === null) return null;
    return buildInspectorState(this.program, stop, this.deliveries, this.scriptView(stop), this.decision, this.fieldMap);
  }

  /** At the end of the run: if the script still holds a complete packet, that is a hang on a live connection. */
  finishedHolding(): InspectorState | null {
    if (!this.held) return null;
    const warning = holdWarning(this.fieldMap(this.packet).view);
    if (warning === null) return null;
    const base = this.lastStop;
    const stop: StopInfo = { reason: 'pause', line: base?.line ?? 0, event: base?.event ?? 0, delivery: this.deliveries - 1, data: this.packet, reads: base?.reads ?? [], lastRead: base?.lastRead ?? null, exception: null, clientIdLocal: null };
    const state = buildInspectorState(this.program, stop, this.deliveries, this.scriptToken, this.decision, this.fieldMap);
    return { ...state, reason: 'finished (holding)', warning };
  }

  /** What the script extracted: the user_token it sent, else a clientID local it has filled in so far. */
  private scriptView(stop: StopInfo): ScriptView {
    if (this.scriptToken.token !== null) return this.scriptToken;
    return stop.clientIdLocal !== null ? { token: stop.clientIdLocal, from: 'local clientID' } : this.scriptToken;
  }
}
