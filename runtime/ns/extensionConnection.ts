// One client connection's script context: its ctxt per side, the bytes ctxt:hold kept, and what happens once it is piped, closed or failed.
import type { LoadedExtension } from './loadedExtension';
import type { ConnectionInfo, ConnectionOptions, ConnectionScript, DeliveryResult, ScriptError } from './types';

/** Per direction: client-to-server (client.on_data) or server-to-client (server.on_data). */
class Side {
  ctxtRef = 0;
  held: Uint8Array | null = null;
  piped = false;
  closed = false;
  constructor(readonly isClient: boolean) {}
}

const passThrough = (bytes: Uint8Array): DeliveryResult => ({
  actions: [{ kind: 'send', event: 'DATA', data: bytes, userToken: null, userSession: null }],
  held: false,
  error: null,
});

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

export class ExtensionConnection implements ConnectionScript {
  /** Created when that side's on_data first runs: a side without a handler (MQTT's server side) keeps nothing per connection. */
  private client: Side | null = null;
  private server: Side | null = null;
  private failure: ScriptError | null = null;
  private disposed = false;

  constructor(
    private readonly extension: LoadedExtension,
    readonly id: number,
    private readonly info: ConnectionInfo,
    private readonly observers: ConnectionOptions,
  ) {}

  get heldBytes(): number {
    return (this.client?.held?.length ?? 0) + (this.server?.held?.length ?? 0);
  }

  onClientData(bytes: Uint8Array): DeliveryResult {
    if (!this.extension.hasClientOnData) return this.unhandled(bytes);
    return this.onData((this.client ??= new Side(true)), bytes);
  }

  onServerData(bytes: Uint8Array): DeliveryResult {
    if (!this.extension.hasServerOnData) return this.unhandled(bytes);
    return this.onData((this.server ??= new Side(false)), bytes);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.extension.connectionDisposed();
    for (const side of [this.client, this.server]) {
      if (!side) continue;
      if (side.ctxtRef) this.extension.releaseContext(side.ctxtRef);
      side.ctxtRef = 0;
      side.held = null;
    }
  }

  /** A side without on_data passes bytes through (the native path); after an error every call repeats it (the connection is being reset). */
  private unhandled(bytes: Uint8Array): DeliveryResult {
    if (this.disposed) throw new Error(`connection ${this.id} was disposed`);
    if (this.failure) return { actions: [], held: false, error: this.failure };
    return passThrough(bytes);
  }

  /** As unhandled() once disposed or failed; after ctxt:close nothing more is processed; a piped side passes bytes through. */
  private onData(side: Side, bytes: Uint8Array): DeliveryResult {
    if (this.disposed || this.failure) return this.unhandled(bytes);
    if (side.closed) return { actions: [], held: false, error: null };
    if (side.piped) return passThrough(bytes);
    const stream = side.held ? concat(side.held, bytes) : bytes;
    side.held = null;
    // A debugger (it records reads) shows ctxt.client at once; the LB lets the first read of it ask.
    if (!side.ctxtRef) side.ctxtRef = this.extension.newContext(this.id, side.isClient, this.info, this.observers.readObserver !== undefined);
    const result = this.extension.deliver(
      this.id, side.ctxtRef, side.isClient, stream, this.info, this.observers.readObserver, this.observers.actionObserver, this.observers.logId,
    );
    if (result.error) {
      this.failure = result.error;
      return result;
    }
    if (result.held) side.held = result.heldData ?? stream;
    for (const action of result.actions) {
      if (action.kind === 'pipe') side.piped = true;
      else if (action.kind === 'close') side.closed = true;
    }
    if (side.piped) this.releaseSide(side);
    return result;
  }

  /**
   * A piped side never runs its callback again: its ctxt (nine Lua tables in the shared state) and held
   * bytes go now, not at close, so 10,000 idle piped connections keep no script state. The other side
   * has its own ctxt, which stays while server.on_data may still run.
   */
  private releaseSide(side: Side): void {
    if (side.ctxtRef) this.extension.releaseContext(side.ctxtRef);
    side.ctxtRef = 0;
    side.held = null;
  }
}
