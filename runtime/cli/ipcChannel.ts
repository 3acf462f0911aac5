// The IPC side of a forked CLI: events and periodic stats out through process.send, commands (stop, reload, stats) in.
import type { ScriptError } from '../ns/types';
import type { LbStats } from '../proxy/lbProxy';
import type { OutputRecord } from './eventLog';
import { STATS_INTERVAL_MS, isIpcCommand, type IpcCommand, type IpcMessage } from './ipcProtocol';

export interface IpcHandlers {
  /** Null while the LB is still starting (the channel opens before the script loads). */
  stats(): LbStats | null;
  stop(reason: string): Promise<void>;
  reload(file: string | undefined, source: string | undefined): Promise<{ ok: true } | { ok: false; error: ScriptError | string }>;
}

export class IpcChannel {
  private timer: NodeJS.Timeout | null = null;
  /** The last message handed to process.send; the process must not exit before it left. */
  private inFlight: Promise<void> = Promise.resolve();

  private constructor(
    private readonly send: (m: IpcMessage) => void,
    private readonly handlers: IpcHandlers,
  ) {}

  /** Null when the process was not forked with an IPC channel. */
  static open(handlers: IpcHandlers): IpcChannel | null {
    if (typeof process.send !== 'function') return null;
    // process.send is asynchronous: a start `error` sent just before process.exit would otherwise be lost.
    let channel: IpcChannel | null = null;
    const send = (m: IpcMessage) => {
      if (!process.connected || !channel) return;
      const sent = new Promise<void>((resolve) => process.send?.(m, undefined, {}, () => resolve()));
      channel.inFlight = channel.inFlight.then(() => sent);
    };
    channel = new IpcChannel(send, handlers);
    process.on('message', (m: unknown) => {
      if (isIpcCommand(m)) void channel.handle(m);
    });
    // The parent went away: nobody can stop us any more, so stop now rather than linger.
    process.once('disconnect', () => void handlers.stop('IPC parent disconnected'));
    const timer = setInterval(() => {
      const stats = handlers.stats();
      if (stats) send({ type: 'stats', stats });
    }, STATS_INTERVAL_MS);
    timer.unref();
    channel.timer = timer;
    return channel;
  }

  event(record: OutputRecord): void {
    this.send({ type: 'event', record });
  }

  /** Stops the periodic stats; resolves once every message sent so far has been handed to the parent. */
  close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    return this.inFlight;
  }

  private async handle(cmd: IpcCommand): Promise<void> {
    try {
      switch (cmd.command) {
        case 'stats': {
          const stats = this.handlers.stats();
          if (stats) this.send({ type: 'response', id: cmd.id, ok: true, stats });
          else this.send({ type: 'response', id: cmd.id, ok: false, error: 'the LB is still starting' });
          return;
        }
        case 'reload': {
          const r = await this.handlers.reload(cmd.file, cmd.source);
          if (r.ok) this.send({ type: 'response', id: cmd.id, ok: true, stats: this.handlers.stats() ?? undefined });
          else if (typeof r.error === 'string') this.send({ type: 'response', id: cmd.id, ok: false, error: r.error });
          else this.send({ type: 'response', id: cmd.id, ok: false, error: r.error.message, scriptError: r.error });
          return;
        }
        case 'stop':
          this.send({ type: 'response', id: cmd.id, ok: true });
          await this.handlers.stop('stop command over IPC');
          return;
      }
    } catch (err) {
      this.send({ type: 'response', id: cmd.id, ok: false, error: err instanceof Error ? err.message : String(err) });
    }
  }
}
