// Active TCP health checks: a connect to each service every interval; results feed the balancer's fall/rise state machine.
import * as net from 'node:net';
import type { ServiceSpec } from '../lb/types';
import type { HealthSettings } from '../lb/serviceHealth';

export type CheckResult = (service: ServiceSpec, ok: boolean, reason: string) => void;

/** One TCP connect: ok when the handshake completes within the timeout. */
export function probeTcp(service: ServiceSpec, timeoutMs: number): Promise<{ ok: boolean; reason: string }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = net.connect({ host: service.host, port: service.port });
    const done = (ok: boolean, reason: string) => {
      socket.destroy();
      resolve({ ok, reason });
    };
    socket.setTimeout(timeoutMs, () => done(false, `tcp check timed out after ${timeoutMs} ms`));
    socket.once('connect', () => done(true, `tcp check ok in ${Date.now() - started} ms`));
    socket.once('error', (err) => done(false, `tcp check failed: ${err.message}`));
  });
}

export class HealthChecker {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly services: readonly ServiceSpec[],
    private readonly settings: HealthSettings,
    private readonly onResult: CheckResult,
  ) {}

  start(): void {
    for (const s of this.services) this.schedule(s, 0);
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  private schedule(service: ServiceSpec, delayMs: number): void {
    if (this.stopped) return;
    const timer = setTimeout(async () => {
      const { ok, reason } = await probeTcp(service, this.settings.timeoutMs);
      if (this.stopped) return;
      this.onResult(service, ok, reason);
      this.schedule(service, this.settings.intervalMs);
    }, delayMs);
    // Health checks alone must not keep a stopped process alive.
    timer.unref();
    this.timers.set(service.id, timer);
  }
}
