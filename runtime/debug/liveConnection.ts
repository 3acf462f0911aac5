// One live LB connection under the debugger (request `attach`): its client chunks feed the debug VM, each DeliveryResult goes back to the LB.
import type { ConnectionInfo, DeliveryResult } from '../ns/types';
import { AttachLink } from './attachClient';

export interface LiveHandlers {
  connection(conn: number, info: ConnectionInfo): void;
  data(bytes: Uint8Array): void;
  end(reason: string): void;
}

export class LiveConnection {
  /** Sequence numbers of chunks sent to the VM and not yet answered, in delivery order (the VM runs them in order). */
  private readonly unanswered: number[] = [];

  private constructor(private link: AttachLink | null) {}

  static async open(hook: string | undefined, handlers: LiveHandlers): Promise<LiveConnection> {
    const live = new LiveConnection(null);
    live.link = await AttachLink.open(hook, {
      connection: (conn, info) => handlers.connection(conn, info),
      data: (seq, bytes) => { live.unanswered.push(seq); handlers.data(bytes); },
      end: (reason) => handlers.end(reason),
    });
    return live;
  }

  get path(): string {
    return this.link?.path ?? '';
  }

  get lbPid(): number {
    return this.link?.lbPid ?? 0;
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
