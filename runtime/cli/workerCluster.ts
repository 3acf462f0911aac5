// `run --workers N`: a primary forks N LB workers that share the listening socket, relays persistence and service-down news among them, stops them together.
import cluster, { type Worker } from 'node:cluster';
import type { ServiceSpec } from '../lb/types';

/** Set in a worker's environment: the services the primary resolved (embedded brokers are started once, by the primary). */
export const WORKER_SERVICES_ENV = 'PROTOEXT_LB_WORKER_SERVICES';

/** Persistence bindings made in one turn of a worker's event loop: [session as hex, service]. */
type Bindings = [sessionHex: string, service: string][];

/** Worker -> primary. */
export type WorkerReport =
  | { kind: 'ready'; listen: string }
  | { kind: 'failed'; message: string }
  | { kind: 'bound'; bindings: Bindings }
  | { kind: 'down'; service: string; reason: string };

/** Primary -> worker. */
export type PrimaryOrder =
  | { kind: 'bound'; bindings: Bindings }
  | { kind: 'down'; service: string; reason: string }
  | { kind: 'stop' };

export function isLbWorker(): boolean {
  return cluster.isWorker && process.env[WORKER_SERVICES_ENV] !== undefined;
}

export function workerServices(): ServiceSpec[] {
  return JSON.parse(process.env[WORKER_SERVICES_ENV] ?? '[]') as ServiceSpec[];
}

export interface WorkerLink {
  /** A persistence binding this worker made; sent with the others of the same event-loop turn. */
  bound(session: string, service: string): void;
  report(r: WorkerReport): void;
}

/**
 * The worker side: reports go to the primary, orders come back. Bindings are batched per event-loop turn:
 * in a connect storm every connection binds a new session, and one IPC message each (serialised, written,
 * parsed and relayed by the primary) cost more than the connection itself.
 */
export function workerLink(handlers: { bound(session: string, service: string): void; down(service: string, reason: string): void; stop(): void }): WorkerLink {
  process.on('message', (m: PrimaryOrder) => {
    if (m.kind === 'bound') for (const [hex, service] of m.bindings) handlers.bound(Buffer.from(hex, 'hex').toString('latin1'), service);
    else if (m.kind === 'down') handlers.down(m.service, m.reason);
    else if (m.kind === 'stop') handlers.stop();
  });
  const report = (r: WorkerReport) => {
    if (process.connected) process.send?.(r);
  };
  let pending: Bindings | null = null;
  const flush = () => {
    const bindings = pending!;
    pending = null;
    report({ kind: 'bound', bindings });
  };
  return {
    report,
    bound: (session, service) => {
      if (!pending) {
        pending = [];
        setImmediate(flush);
      }
      pending.push([Buffer.from(session, 'latin1').toString('hex'), service]);
    },
  };
}

export interface WorkerPool {
  /** The address every worker listens on (they share one socket). */
  listen: string;
  stop(): Promise<void>;
  /** Resolves when a worker dies on its own (the pool is then stopped by the caller). */
  died: Promise<string>;
}

/**
 * Forks `count` workers running this same command. The kernel spreads accepted connections over them
 * (SCHED_NONE: round-robin in the primary would cost a handle transfer per connection). Hashing on the
 * user token is deterministic, so workers agree by construction; bindings and passive failures are
 * relayed so they also agree after a rebind, when their health views differed.
 */
export async function startWorkerPool(count: number, services: readonly ServiceSpec[]): Promise<WorkerPool> {
  // Node's own switch still wins (NODE_CLUSTER_SCHED_POLICY=rr: the primary deals connections in turn, e.g. for tests).
  cluster.schedulingPolicy = process.env.NODE_CLUSTER_SCHED_POLICY === 'rr' ? cluster.SCHED_RR : cluster.SCHED_NONE;
  cluster.setupPrimary({ exec: process.argv[1], args: process.argv.slice(2), silent: false });
  const workers: Worker[] = [];
  let stopping = false;
  let resolveDied: (why: string) => void = () => undefined;
  const died = new Promise<string>((r) => (resolveDied = r));
  const relay = (from: Worker, order: PrimaryOrder) => {
    for (const w of workers) if (w !== from && w.isConnected()) w.send(order);
  };
  const ready = workers.map(() => Promise.resolve(''));
  for (let i = 0; i < count; i++) {
    const w = cluster.fork({ [WORKER_SERVICES_ENV]: JSON.stringify(services) });
    workers.push(w);
    ready[i] = new Promise<string>((resolve, reject) => {
      w.on('message', (m: WorkerReport) => {
        if (m.kind === 'ready') resolve(m.listen);
        else if (m.kind === 'failed') reject(new Error(`worker ${i + 1}: ${m.message}`));
        else if (m.kind === 'bound' || m.kind === 'down') relay(w, m);
      });
      w.once('exit', (code, signal) => {
        reject(new Error(`worker ${i + 1} exited (${code ?? signal}) before it was ready`));
        if (!stopping) resolveDied(`worker ${i + 1} exited (${code ?? signal})`);
      });
    });
  }
  const stop = async () => {
    stopping = true;
    await Promise.all(workers.map((w) => new Promise<void>((resolve) => {
      if (w.isDead()) return resolve();
      w.once('exit', () => resolve());
      if (w.isConnected()) w.send({ kind: 'stop' } satisfies PrimaryOrder);
      else w.process.kill('SIGTERM');
    })));
  };
  let listen: string;
  try {
    const addresses = await Promise.all(ready);
    listen = addresses[0];
  } catch (err) {
    await stop();
    throw err;
  }
  return { listen, stop, died };
}
