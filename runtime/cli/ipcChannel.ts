// The IPC side of a forked CLI: events and periodic stats out through process.send, commands (stop, reload, stats) in.
import type { ScriptError } from '../ns/types';
import type { LbStats } from '../proxy/lbProxy';
import type { OutputRecord } from './eventLog';
import { STATS_INTERVAL_MS, isIpcCommand, type IpcCommand, type IpcMessage } from './ipcProtocol';

export interface IpcHandlers {
  stats(): LbStats;
  stop(reason: string): Promise<void>;
  reload(file: string | undefined, source: string | undefined): Promise<{ ok: true } | { ok: false; error: ScriptError | string }>;
}

export class IpcChannel {
  private timer: NodeJS.Timeout | null = null;

  private constructor(
    private readonly send: (m: IpcMessage) => void,
    private readonly handlers: IpcHandlers,
  ) {}

  /** Null when the process was not forked with an IPC channel. */
  static open(handlers: IpcHandlers): IpcChannel | null {
    if (typeof process.send !== 'function') return null;
    const send = (m: IpcMessage) => {
      if (process.connected) process.send?.(m);
    };
    const channel = new IpcChannel(send, handlers);
    process.on('message', (m: unknown) => {
      if (isIpcCommand(m)) void channel.handle(m);
    });
    // The parent went away: nobody can stop us any more, so stop now rather than linger.
    process.once('disconnect', () => void handlers.stop('IPC parent disconnected'));
    channel.timer = setInterval(() => send({ type: 'stats', stats: handlers.stats() }), STATS_INTERVAL_MS);
    channel.timer.unref();
    return channel;
  }

  event(record: OutputRecord): void {
    this.send({ type: 'event', record });
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async handle(cmd: IpcCommand): Promise<void> {
    try {
      switch (cmd.command) {
        case 'stats':
          this.send({ type: 'response', id: cmd.id, ok: true, stats: this.handlers.stats() });
          return;
        case 'reload': {
          const r = await this.handlers.reload(cmd.file, cmd.source);
          if (r.ok) this.send({ type: 'response', id: cmd.id, ok: true, stats: this.handlers.stats() });
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
