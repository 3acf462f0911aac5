// Where the debugged connection's client bytes come from: one interface for launch (a configured packet) and attach (a live LB connection).
import type { ConnectionInfo, DeliveryResult } from '../ns/types';
import type { DebugDecision } from './decisionModel';

export interface FeedHandlers {
  /** The connection starts: the script's run begins (`info`: the live connection's ctxt.client/vserver; launch simulates one). */
  connection(info: ConnectionInfo | undefined): void;
  /** One client chunk for client.on_data. */
  data(bytes: Uint8Array): void;
  /** No more chunks: the script phase is over. */
  end(reason: string): void;
  /** The LB's own decision for the connection (attach; a launch decides locally). */
  decision(decision: DebugDecision): void;
  /** A line for the Debug Console. */
  console(text: string): void;
}

export interface PacketFeed {
  /** True when the LB decides (attach): the debugger then shows the LB's decision instead of making one. */
  readonly lbDecides: boolean;
  /** Starts feeding; resolves once the source is ready (launch: every chunk handed over; attach: the LB accepted the attach). */
  start(handlers: FeedHandlers): Promise<void>;
  /** The VM finished the oldest unanswered chunk: attach hands its result to the LB; a launch has no one to tell. */
  answer(result: DeliveryResult): void;
  close(): void;
}

/** Launch: the configured packet, cut into its deliveries, all at once (the VM takes them one at a time). */
export class LaunchFeed implements PacketFeed {
  readonly lbDecides = false;

  constructor(private readonly deliveries: readonly Uint8Array[], private readonly description: string) {}

  async start(handlers: FeedHandlers): Promise<void> {
    const n = this.deliveries.length;
    handlers.console(`protoext: ${this.description}; ${n} deliver${n === 1 ? 'y' : 'ies'} (${this.deliveries.map((d) => d.length).join(' + ')} bytes)\n`);
    handlers.connection(undefined);
    for (const d of this.deliveries) handlers.data(d);
    handlers.end('every delivery was sent');
  }

  answer(): void {}

  close(): void {}
}
