// What a client session needs from the proxy that owns it (lbProxy.ts implements it).
import type { Balancer } from '../lb/balancer';
import type { Decision } from '../lb/types';
import type { ClientSession } from './clientSession';
import type { DeadlineQueue } from './deadlineQueue';
import type { LbEventMap } from './events';
import type { ProxyLimits } from './limits';
import type { TcpTransport } from './tcpTransport';

/** What the session needs from the proxy that owns it. */
export interface SessionHost {
  readonly balancer: Balancer;
  readonly limits: ProxyLimits;
  readonly transport: TcpTransport;
  /** Every session's first-flight timeout, and every backend link's connect timeout: one timer each. */
  readonly firstFlightDeadlines: DeadlineQueue;
  readonly connectDeadlines: DeadlineQueue;
  emit<K extends keyof LbEventMap>(name: K, payload: LbEventMap[K]): void;
  /** False when nobody listens to the event: per-connection payloads are then not built. */
  listens(name: keyof LbEventMap): boolean;
  /** Passive health: a real connect to the service failed. */
  serviceFailed(serviceId: string, reason: string): void;
  /** `session`: the user_session bytes the decision was made for (persistence replication keys on them). */
  /** `key`: the session's persistence key (Balancer.persistenceKey), null without one. */
  decided(decision: Decision, key: string | null): void;
  sessionClosed(session: ClientSession): void;
}
