// The packet feed of request `attach`: the next live connection of the local LB; its client chunks feed the debug VM, each DeliveryResult goes back.
import type { DeliveryResult } from '../ns/types';
import { AttachLink } from './attachClient';
import type { FeedHandlers, PacketFeed } from './packetFeed';

export class LiveConnection implements PacketFeed {
  readonly lbDecides = true;
  /** Sequence numbers of chunks sent to the VM and not yet answered, in delivery order (the VM runs them in order). */
  private readonly unanswered: number[] = [];
  private link: AttachLink | null = null;

  /** `hook`: the LB's debug hook socket; default: the newest running LB's. */
  constructor(private readonly hook: string | undefined) {}

  async start(handlers: FeedHandlers): Promise<void> {
    this.link = await AttachLink.open(this.hook, {
      connection: (conn, info) => {
        handlers.console(`protoext: live connection ${conn} from ${info.client.ip}:${info.client.port}; its client waits while the script is paused here\n`);
        handlers.connection(info);
      },
      data: (seq, bytes) => { this.unanswered.push(seq); handlers.data(bytes); },
      decision: (decision) => handlers.decision(decision),
      end: (reason) => {
        handlers.console(`protoext: the LB left the script phase of this connection (${reason})\n`);
        handlers.end(reason);
      },
    });
    handlers.console(`protoext: attached to the local LB (pid ${this.link.lbPid}, ${this.link.path}); waiting for its next client connection\n`);
  }

  /** The VM finished the oldest unanswered chunk: the LB applies its result and reads the client again. */
  answer(result: DeliveryResult): void {
    const seq = this.unanswered.shift();
    if (seq !== undefined) this.link?.answer(seq, result);
  }

  close(): void {
    this.link?.close();
    this.link = null;
  }
}
