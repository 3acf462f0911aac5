// One client connection through the pipeline: script until ns.send, LB decision, then bytes to the service; after ns.pipe, no script.
import type { ConnectionScript, DeliveryResult, ScriptAction, ScriptError } from '../ns/types';
import type { Decision } from '../lb/types';
import type { BackendLink } from './backendLink';
import type { ResetReason } from './events';
import { DebuggerRun, type DebuggedSession } from './debuggerRun';
import type { ScriptTakeover } from '../ns/scriptTakeover';
import { SendBatch } from './sendBatch';
import type { Deadline, DeadlineOwner } from './deadlineQueue';
import { MessageRouter, type RoutedSession } from './messageRouter';
import { ownBytes } from './sharedReadBuffer';
import type { ConnectionHandler, TcpConnection } from './tcpConnection';
import type { SessionHost } from './sessionHost';

type Phase = 'script' | 'piped' | 'done';

const batch = new SendBatch();

/**
 * The session is its client connection's handler and its links' callback object: no closures per
 * connection. Per-connection state stays small because 10,000 idle piped sessions must fit in well under 150 MB.
 */
export class ClientSession implements ConnectionHandler, RoutedSession, DebuggedSession, DeadlineOwner {
  private phase: Phase = 'script';
  /** The links to services and which one each message goes to. */
  private readonly links = new MessageRouter(this);
  private firstFlightDeadline: Deadline | null;
  private closeReason = 'client closed';
  /** True once any ns.send ran, to a service or the client (after it, the held-bytes limit applies only to new holds). */
  private scriptSent = false;
  private clientSentFin = false;
  private bytesFromClient = 0;
  private bytesToClient = 0;
  private readonly startedAt = Date.now();
  /** A debugger runs this connection's script phase (debuggerRun.ts); null on every other connection. */
  private debuggerRun: DebuggerRun | null = null;
  /** The client is not read while a service cannot take more, nor while it does not read the script's answers, nor while the debugger works on a chunk. */
  private waitingForService = false;
  private waitingForClient = false;

  constructor(
    readonly id: number,
    private readonly client: TcpConnection,
    private readonly script: ConnectionScript,
    private readonly scriptHasServerOnData: boolean,
    readonly host: SessionHost,
    scriptHasClientOnData = true,
  ) {
    // No client.on_data: the native default, bytes flow through and the first data decides (no token: round-robin).
    if (!scriptHasClientOnData) this.phase = 'piped';
    this.firstFlightDeadline = host.firstFlightDeadlines.arm(this, host.limits.firstFlightTimeoutMs);
    client.attach(this);
  }

  get piped(): boolean {
    return this.phase === 'piped';
  }

  /** Ends the connection with a TCP RST; nothing more of it reaches a service. */
  reset(reason: ResetReason, message: string, error: ScriptError | null = null): void {
    if (this.phase === 'done') return;
    this.phase = 'done';
    this.closeReason = `reset: ${message}`;
    batch.flush(this); // what the script sent before the reset still goes first, as when each send wrote at once
    this.host.emit('reset', { conn: this.id, reason, message, error });
    for (const link of this.links.values()) link.destroy();
    this.client.reset();
  }

  /** The client's bytes, in the shared read buffer: forwarded at once when piped, copied before the script or debugger keeps them. */
  onBytes(view: Buffer): void {
    if (this.phase === 'done') return;
    this.bytesFromClient += view.length;
    if (this.phase === 'piped') {
      this.forward(view);
      return;
    }
    const chunk = ownBytes(view);
    if (this.debuggerRun) {
      this.debuggerRun.deliver(chunk);
      return;
    }
    // Before the first send, refuse what the script would have to buffer undecided. After it, a chunk may carry
    // whole messages next to a held remainder (one decision per message), so only what the script still holds
    // afterwards counts (below); a 64 KiB read plus a held half line must not reset a syslog stream.
    const pending = this.script.heldBytes + chunk.length;
    if (!this.scriptSent && pending > this.host.limits.maxHeldBytes) {
      this.reset('first-flight-too-large', `${pending} bytes awaiting the script (${this.script.heldBytes} held), more than the limit of ${this.host.limits.maxHeldBytes}`);
      return;
    }
    const result = this.deliver(() => this.script.onClientData(chunk));
    if (!result) return;
    if (result.error) {
      this.reset('script-error', result.error.message, result.error);
      return;
    }
    batch.open(this);
    let applied = true;
    for (let i = 0; applied && i < result.actions.length; i++) applied = this.apply(result.actions[i]);
    batch.close(this);
    if (!applied) return;
    if (result.held && this.phase === 'script') {
      const heldBytes = this.script.heldBytes;
      this.host.emit('hold', { conn: this.id, heldBytes });
      if (heldBytes > this.host.limits.maxHeldBytes) {
        this.reset('first-flight-too-large', `script held ${heldBytes} bytes, more than the limit of ${this.host.limits.maxHeldBytes}`);
      }
    }
  }

  /** Runs a script callback; an engine fault (not a Lua error) still resets only this client, never the proxy. */
  private deliver(call: () => DeliveryResult): DeliveryResult | null {
    try {
      return call();
    } catch (err) {
      const message = `engine failure: ${err instanceof Error ? err.message : String(err)}`;
      this.reset('script-error', message, { kind: 'runtime', message, file: '', line: null, traceback: '' });
      return null;
    }
  }

  /** Returns false when the session ended while applying the action. */
  private apply(action: ScriptAction): boolean {
    switch (action.kind) {
      case 'send':
        return this.send(action.data, action.userToken, action.userSession, action.event === 'EOM');
      case 'pipe':
        this.phase = 'piped';
        if (this.host.listens('pipe')) this.host.emit('pipe', { conn: this.id, service: this.links.current?.service.id ?? null });
        return true;
      case 'toClient':
        this.reply(action.data, action.event === 'EOM');
        return true;
      case 'close':
        this.closeReason = 'script closed the client (ctxt:close)';
        this.phase = 'done';
        batch.flush(this);
        for (const link of this.links.values()) link.end();
        this.client.end();
        return false;
    }
  }

  private send(data: Uint8Array, token: Uint8Array | null, session: Uint8Array | null, eom: boolean): boolean {
    this.cancelFirstFlight();
    this.scriptSent = true;
    const link = this.links.linkFor(token, session);
    if (!link) return false;
    if (data.length > 0) this.writeToService(link, data);
    if (this.host.listens('send')) this.host.emit('send', { conn: this.id, service: link.service.id, bytes: data.length, eom });
    if (eom) this.links.endMessage(link);
    return true;
  }

  /** RoutedSession: a debugger running this connection's script shows the LB's own decision. */
  showDecision(decision: Decision): void {
    if (!this.debuggerRun) return;
    const balancer = this.host.balancer;
    this.debuggerRun.decided(decision, { type: balancer.persistenceType, timeoutMinutes: balancer.persistence.timeout / 60_000 });
  }

  noService(why: string): void {
    this.reset('no-service', why);
  }

  /** LinkCallbacks (called by this session's links only). */
  linkConnectFailed(link: BackendLink, reason: string): void {
    this.links.connectFailed(link, reason, this.phase === 'done');
  }

  linkOpened(link: BackendLink): void {
    this.links.opened(link);
  }

  /** A service's bytes go to the client, through server.on_data when the script defines it. */
  linkData(link: BackendLink, view: Buffer): void {
    if (this.phase === 'done') return;
    if (!this.scriptHasServerOnData) {
      this.toClient(link, view);
      return;
    }
    const chunk = ownBytes(view);
    const result = this.deliver(() => this.script.onServerData(chunk));
    if (!result) return;
    if (result.error) {
      this.reset('script-error', result.error.message, result.error);
      return;
    }
    // The server context has only ctxt.output (to the client) and hold: sends are all that can come back.
    for (const action of result.actions) {
      if (action.kind === 'send' && action.data.length > 0) this.toClient(link, action.data);
    }
    if (result.held && this.script.heldBytes > this.host.limits.maxHeldBytes) {
      this.reset('first-flight-too-large', `server.on_data held ${this.script.heldBytes} bytes, more than the limit of ${this.host.limits.maxHeldBytes}`);
    }
  }

  linkEnded(link: BackendLink): void {
    if (this.links.drop(link, 'closed the connection', this.clientStillSending)) return;
    const others = this.links.values().filter((l) => l !== link && l.state !== 'closed');
    if (others.length === 0 && this.phase !== 'done') {
      this.closeReason = this.clientSentFin ? 'client closed (FIN), then the service closed' : `service ${link.service.id} closed the connection`;
      this.client.end();
    }
  }

  linkDrained(): void {
    this.waitingForService = false;
    this.updateClientReading();
  }

  linkClosed(link: BackendLink, error: Error | null): void {
    this.host.balancer.connectionClosed(link.service.id, link.sessionKey);
    if (this.links.get(link.service.id) !== link || this.links.drop(link, `connection broke: ${error?.message ?? 'closed'}`, this.clientStillSending)) return;
    if (error && this.phase !== 'done') {
      this.closeReason = `service ${link.service.id} connection broke: ${error.message}`;
      this.phase = 'done';
      this.client.destroy();
    } else if (!error) {
      this.linkEnded(link); // several links' FINs can cross (each 'end' saw another still open): the last close decides
    }
  }

  /** ConnectionHandler: the client's FIN, drain and close (a client connection never connects out). */
  onEnd(): void {
    this.clientSentFin = true;
    if (this.phase === 'done') return;
    if (this.links.size === 0) {
      this.closeReason = 'client sent FIN before any data reached a service';
      this.client.end();
      return;
    }
    for (const link of this.links.values()) link.end();
  }

  onDrain(): void {
    if (this.waitingForClient) {
      this.waitingForClient = false;
      this.updateClientReading();
    }
    for (const link of this.links.values()) link.resume();
  }

  onConnect(): void {}

  onClose(error: Error | null): void {
    if (error && this.phase !== 'done') this.closeReason = `client error: ${error.message}`;
    this.cleanup();
  }

  private updateClientReading(): void {
    if (this.waitingForService || this.waitingForClient || this.debuggerRun?.busy) this.client.pause();
    else this.client.resume();
  }

  /** BatchTarget: while a delivery's actions are applied, sends are gathered (sendBatch.ts). */
  writeToService(link: BackendLink, data: Uint8Array): void {
    if (batch.collects(this)) return batch.add(link, data);
    if (!link.write(data)) {
      // Backpressure: stop reading the client until the service drains (linkDrained).
      this.waitingForService = true;
      this.updateClientReading();
    }
  }

  private forward(chunk: Buffer): void {
    // ns.pipe before any send: the LB still needs a decision, made without token or session.
    if (!this.links.current) this.cancelFirstFlight();
    const link = this.links.linkFor(null, null);
    if (link) this.writeToService(link, chunk);
  }

  /** ns.send(ctxt.client): the script answers the client itself; a client that does not read its answers is not read either. */
  private reply(data: Uint8Array, eom: boolean): void {
    this.cancelFirstFlight();
    this.scriptSent = true;
    this.bytesToClient += data.length;
    if (this.host.listens('reply')) this.host.emit('reply', { conn: this.id, bytes: data.length, eom });
    if (!this.client.write(data)) {
      this.waitingForClient = true;
      this.updateClientReading();
    }
  }

  private toClient(link: BackendLink, data: Uint8Array): void {
    this.bytesToClient += data.length;
    // Backpressure: stop reading the service until the client drains (onDrain).
    if (!this.client.write(data)) link.pause();
  }

  /** Still in the script phase with no FIN from the client: more messages may come (a lost service loses only its link). */
  private get clientStillSending(): boolean {
    return this.phase === 'script' && !this.clientSentFin;
  }

  /** The first-flight timeout passed. */
  deadlinePassed(): void {
    this.firstFlightDeadline = null;
    if (this.phase !== 'script' || this.links.size > 0) return;
    this.closeReason = `first-flight timeout: no ns.send within ${this.host.limits.firstFlightTimeoutMs} ms (${this.script.heldBytes} bytes held)`;
    this.phase = 'done';
    this.client.destroy();
  }

  private cancelFirstFlight(): void {
    this.firstFlightDeadline?.cancel();
    this.firstFlightDeadline = null;
  }

  /**
   * Hands the script phase to an attached debugger. The first-flight timeout is suspended while it holds
   * the connection (the user may sit at a breakpoint for minutes); server.on_data stays on the engine.
   */
  handOverToDebugger(takeover: ScriptTakeover): void {
    if (this.phase !== 'script') return;
    this.debuggerRun = new DebuggerRun(takeover, this);
    this.cancelFirstFlight();
  }

  /** DebuggedSession: called by this session's DebuggerRun only. */
  phaseNow(): Phase {
    return this.phase;
  }

  get maxHeldBytes(): number {
    return this.host.limits.maxHeldBytes;
  }

  applyActions(actions: readonly ScriptAction[]): boolean {
    for (const action of actions) {
      if (!this.apply(action)) return false;
    }
    return true;
  }

  emitHold(heldBytes: number): void {
    this.host.emit('hold', { conn: this.id, heldBytes });
  }

  debuggerChanged(): void {
    this.updateClientReading();
  }

  runEnded(): void {
    this.debuggerRun = null;
  }

  replayOnEngine(bytes: Buffer): DeliveryResult | null {
    this.cancelFirstFlight();
    this.firstFlightDeadline = this.host.firstFlightDeadlines.arm(this, this.host.limits.firstFlightTimeoutMs);
    return this.deliver(() => this.script.onClientData(bytes));
  }

  private cleanup(): void {
    this.debuggerRun?.end(this.closeReason);
    this.cancelFirstFlight();
    this.phase = 'done';
    for (const link of this.links.values()) {
      if (link.state === 'open') this.host.balancer.connectionClosed(link.service.id, link.sessionKey);
      link.destroy();
    }
    this.links.clear();
    this.script.dispose();
    if (this.host.listens('close')) this.host.emit('close', {
      conn: this.id,
      reason: this.closeReason,
      bytesFromClient: this.bytesFromClient,
      bytesToClient: this.bytesToClient,
      durationMs: Date.now() - this.startedAt,
    });
    this.host.sessionClosed(this);
  }
}
