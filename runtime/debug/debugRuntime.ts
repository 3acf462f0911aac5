// Main-thread side of the debug VM: owns the worker, sends it commands, and re-emits what it reports as typed events (knows no DAP).
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import type { ConnectionInfo } from '../ns/types';
import { NO_STATEMENTS, type StatementTable } from './statementMap';
import { CONTROL_PENDING, type BreakpointSpec, type FromWorker, type RequestToWorker, type ResumeMode, type ToWorker } from './workerProtocol';

type Distribute<T> = T extends unknown ? Omit<T, 'id'> : never;
export type RuntimeRequest = Distribute<RequestToWorker>;
/** What the worker reports, plus `failed`: the worker itself died (a bug or an engine fault), which is an error, never an empty run. */
export type RuntimeEvent = Exclude<FromWorker, { type: 'reply' } | { type: 'loaded' }> | { type: 'failed'; error: string };

/** The bundled worker beside dist/debugAdapter.js, or the tsc output beside this file under out/. */
export function workerScript(dir: string): string {
  const bundled = join(dir, 'debugWorker.js');
  return existsSync(bundled) ? bundled : join(dir, 'vmWorker.js');
}

export class DebugRuntime {
  private readonly events = new EventEmitter();
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly control = new Int32Array(new SharedArrayBuffer(4));
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private loadWaiter: ((msg: Extract<FromWorker, { type: 'loaded' }>) => void) | null = null;
  private exited = false;

  constructor(dir: string = __dirname) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(workerScript(dir), {
      workerData: { control: this.control.buffer, port: port2 },
      transferList: [port2],
    });
    this.worker.on('message', (msg: FromWorker) => this.receive(msg));
    this.worker.on('error', (e) => this.fail(e instanceof Error ? e : new Error(String(e))));
    this.worker.on('exit', () => this.fail(new Error('debug VM worker exited')));
  }

  onEvent(listener: (event: RuntimeEvent) => void): void {
    this.events.on('event', listener);
  }

  /** Compiles the program in the worker; resolves with its statements (where breakpoints bind). */
  load(file: string, source: string): Promise<{ statements: StatementTable; error: string | null }> {
    return new Promise((resolve) => {
      this.loadWaiter = (msg) => resolve({ statements: msg.statements, error: msg.error });
      this.send({ type: 'load', file, source });
    });
  }

  /** Starts the run (main chunk, then on_data for each chunk as `deliver` brings it, until `end`). */
  run(stopOnEntry: boolean, breakpoints: BreakpointSpec[], info?: ConnectionInfo): void {
    this.send({ type: 'run', stopOnEntry, breakpoints, info });
  }

  /** One client chunk for client.on_data; its DeliveryResult comes back as a `deliveryDone` event. */
  deliver(bytes: Uint8Array): void {
    this.send({ type: 'deliver', bytes });
  }

  /** No more client chunks: the run finishes once the last one is done. */
  end(): void {
    this.send({ type: 'end' });
  }

  setBreakpoints(breakpoints: BreakpointSpec[]): void {
    this.send({ type: 'setBreakpoints', breakpoints });
  }

  resume(mode: ResumeMode): void {
    this.send({ type: 'resume', mode });
  }

  pause(): void {
    this.send({ type: 'pause' });
  }

  /** Only meaningful while stopped: the worker answers from inside its pause loop. */
  request<T>(req: RuntimeRequest): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      if (this.exited) { reject(new Error('debug VM is gone')); return; }
      this.pending.set(id, { resolve: (v) => resolve(v as T), reject });
      this.send({ ...req, id } as ToWorker);
    });
  }

  async dispose(): Promise<void> {
    this.exited = true;
    this.port.close();
    await this.worker.terminate();
  }

  private send(msg: ToWorker): void {
    if (this.exited) return;
    // Post first, then count: the worker only takes a message once the counter says one is there.
    this.port.postMessage(msg);
    Atomics.add(this.control, CONTROL_PENDING, 1);
    Atomics.notify(this.control, CONTROL_PENDING);
  }

  private receive(msg: FromWorker): void {
    if (msg.type === 'reply') {
      const p = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      if (!p) return;
      if (msg.error !== null) p.reject(new Error(msg.error));
      else p.resolve(msg.result);
      return;
    }
    if (msg.type === 'loaded') {
      const waiter = this.loadWaiter;
      this.loadWaiter = null;
      waiter?.(msg);
      return;
    }
    this.events.emit('event', msg);
  }

  private fail(e: Error): void {
    if (this.exited) return;
    this.exited = true;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
    this.loadWaiter?.({ type: 'loaded', statements: NO_STATEMENTS, error: `the debug VM failed: ${e.message}` });
    this.events.emit('event', { type: 'failed', error: e.message } satisfies RuntimeEvent);
  }
}
