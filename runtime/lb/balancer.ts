// The LB vserver's decision: persistence first (USERSESSION), then the lbMethod over services that are up; every decision explains itself.
import { PersistenceTable } from './persistenceTable';
import { ServiceHealth, type HealthSettings, type HealthTransition } from './serviceHealth';
import { pickByToken } from './tokenHash';
import {
  DEFAULT_PERSISTENCE_TIMEOUT_MINUTES,
  type ChosenBy,
  type Clock,
  type Decision,
  type DecisionRequest,
  type LbMethod,
  type PersistenceEntry,
  type PersistenceType,
  type ServiceSpec,
} from './types';

export interface BalancerOptions {
  services: readonly ServiceSpec[];
  method: LbMethod;
  persistence: PersistenceType;
  /** Fractional minutes allowed (tests); the ADC takes whole minutes. */
  persistenceTimeoutMinutes?: number;
  health?: Pick<HealthSettings, 'fall' | 'rise'>;
  clock?: Clock;
}

export interface ServiceSnapshot extends ServiceSpec {
  address: string;
  up: boolean;
  healthReason: string;
  activeConnections: number;
  totalConnections: number;
}

interface ServiceState {
  spec: ServiceSpec;
  /** addressOf(spec), made once: every decision reports it. */
  address: string;
  health: ServiceHealth;
  active: number;
  total: number;
}

const decoder = new TextDecoder('utf-8', { fatal: false });

function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/**
 * A user_session as the persistence table's key: the exact bytes (latin1 maps each byte to one char), so distinct
 * byte strings never collide; null when there is no user_session (absent or empty).
 */
export function sessionKey(bytes: Uint8Array | null): string | null {
  return bytes && bytes.length > 0 ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1') : null;
}

export function addressOf(spec: ServiceSpec): string {
  return spec.host.includes(':') ? `[${spec.host}]:${spec.port}` : `${spec.host}:${spec.port}`;
}

export class Balancer {
  readonly method: LbMethod;
  readonly persistenceType: PersistenceType;
  readonly persistence: PersistenceTable;
  private readonly states: ServiceState[];
  private readonly stateIds: string[];
  private readonly clock: Clock;
  private rrNext = 0;

  constructor(options: BalancerOptions) {
    if (options.services.length === 0) throw new Error('an lb vserver needs at least one service');
    const ids = new Set<string>();
    for (const s of options.services) {
      if (ids.has(s.id)) throw new Error(`duplicate service id "${s.id}"`);
      ids.add(s.id);
    }
    this.method = options.method;
    this.persistenceType = options.persistence;
    this.clock = options.clock ?? Date.now;
    const health = options.health ?? { fall: 2, rise: 2 };
    this.states = options.services.map((spec) => ({ spec, address: addressOf(spec), health: new ServiceHealth(health), active: 0, total: 0 }));
    this.stateIds = this.states.map((s) => s.spec.id);
    const minutes = options.persistenceTimeoutMinutes ?? DEFAULT_PERSISTENCE_TIMEOUT_MINUTES;
    this.persistence = new PersistenceTable(minutes * 60_000, this.clock);
  }

  decide(request: DecisionRequest): Decision {
    const token = request.token && request.token.length > 0 ? request.token : null;
    const session = request.session && request.session.length > 0 ? request.session : null;
    const tokenText = token ? decoder.decode(token) : null;
    const base = {
      method: this.method,
      token: tokenText,
      tokenHex: token ? toHex(token) : null,
      // The same bytes as the token (the engine hands one copy when the script passed one string for both): decoded once.
      session: session === null ? null : session === token ? tokenText : decoder.decode(session),
    };
    const candidates = this.candidates(request.exclude);
    if (candidates.length === 0) {
      return { ...base, service: null, address: null, chosenBy: 'none', persistence: 'none', reason: 'no service is up' };
    }

    let rebound: string | null = null;
    const key = request.key !== undefined ? request.key : this.persistenceKey(session);
    if (key !== null) {
      const persisted = this.persistence.lookup(key);
      if (persisted !== undefined) {
        const target = candidates.find((s) => s.spec.id === persisted);
        if (target) {
          this.persistence.touch(key);
          return this.finish(base, target, 'persistence', 'hit', `persistence hit: session is bound to ${persisted}`);
        }
        rebound = persisted;
      }
    }

    const { state, chosenBy, why } = this.pick(token, candidates);
    if (key === null) {
      const note = this.persistenceType === 'USERSESSION' ? '; no user_session, nothing persisted' : '';
      return this.finish(base, state, chosenBy, 'none', why + note);
    }
    this.persistence.bind(key, state.spec.id);
    if (rebound !== null) {
      return this.finish(base, state, chosenBy, 'rebound', `persisted service ${rebound} is down or failed; rebound: ${why}`);
    }
    return this.finish(base, state, chosenBy, 'new', `new persistence entry: ${why}`);
  }

  /** The persistence table's key for a user_session: null without USERSESSION persistence or without a session. */
  persistenceKey(session: Uint8Array | null): string | null {
    return this.persistenceType === 'USERSESSION' ? sessionKey(session) : null;
  }

  /** A connection to the chosen service is open: counts for LEASTCONNECTION and keeps the session from idling out. */
  /** `session`: the connection's persistence key (sessionKey()), null without a user_session. */
  connectionOpened(serviceId: string, session: string | null): void {
    const s = this.find(serviceId);
    s.active++;
    s.total++;
    if (session) this.persistence.connectionOpened(session);
  }

  connectionClosed(serviceId: string, session: string | null): void {
    const s = this.find(serviceId);
    s.active = Math.max(0, s.active - 1);
    if (session) this.persistence.connectionClosed(session);
  }

  recordCheck(serviceId: string, ok: boolean, reason: string): HealthTransition {
    return this.find(serviceId).health.record(ok, reason);
  }

  markDown(serviceId: string, reason: string): HealthTransition {
    return this.find(serviceId).health.markDown(reason);
  }

  services(): ServiceSnapshot[] {
    return this.states.map((s) => ({
      ...s.spec,
      address: addressOf(s.spec),
      up: s.health.up,
      healthReason: s.health.lastReason,
      activeConnections: s.active,
      totalConnections: s.total,
    }));
  }

  service(serviceId: string): ServiceSpec {
    return this.find(serviceId).spec;
  }

  /** Entries with the session as readable text (keys are exact bytes; non-UTF-8 bytes show as U+FFFD, `sessionHex` is exact). */
  persistenceEntries(): PersistenceEntry[] {
    return this.persistence.entries().map((e) => {
      const bytes = Buffer.from(e.session, 'latin1');
      return { ...e, session: decoder.decode(bytes), sessionHex: bytes.toString('hex') };
    });
  }

  /** Services that are up and not excluded; the state list itself in the usual case (no copy per decision). */
  private candidates(exclude: ReadonlySet<string> | undefined): ServiceState[] {
    if (!exclude?.size && this.states.every((s) => s.health.up)) return this.states;
    return this.states.filter((s) => s.health.up && !exclude?.has(s.spec.id));
  }

  private pick(token: Uint8Array | null, candidates: ServiceState[]): { state: ServiceState; chosenBy: ChosenBy; why: string } {
    if (this.method === 'USER_TOKEN' && token) {
      const id = pickByToken(token, candidates === this.states ? this.stateIds : candidates.map((c) => c.spec.id));
      const state = candidates.find((c) => c.spec.id === id) ?? candidates[0];
      return { state, chosenBy: 'USER_TOKEN', why: `user_token hashes to ${state.spec.id} among ${candidates.length} up` };
    }
    if (this.method === 'LEASTCONNECTION') {
      let best = candidates[0];
      for (const c of candidates) if (c.active < best.active) best = c;
      return { state: best, chosenBy: 'LEASTCONNECTION', why: `least connections: ${best.spec.id} has ${best.active}` };
    }
    // ROUNDROBIN, and USER_TOKEN with an empty/absent token (as HAProxy and NGINX do for empty ClientIDs).
    const state = this.nextRoundRobin(candidates);
    const why = this.method === 'USER_TOKEN' ? `no user_token; round-robin fallback to ${state.spec.id}` : `round-robin to ${state.spec.id}`;
    return { state, chosenBy: 'ROUNDROBIN', why };
  }

  /** Walks the full service list so the rotation stays fair when services come and go. */
  private nextRoundRobin(candidates: ServiceState[]): ServiceState {
    for (let i = 0; i < this.states.length; i++) {
      const s = this.states[(this.rrNext + i) % this.states.length];
      if (candidates.includes(s)) {
        this.rrNext = (this.states.indexOf(s) + 1) % this.states.length;
        return s;
      }
    }
    return candidates[0];
  }

  private finish(base: Pick<Decision, 'method' | 'token' | 'tokenHex' | 'session'>, state: ServiceState, chosenBy: ChosenBy, persistence: Decision['persistence'], reason: string): Decision {
    return { method: base.method, token: base.token, tokenHex: base.tokenHex, session: base.session, service: state.spec.id, address: state.address, chosenBy, persistence, reason };
  }

  private find(serviceId: string): ServiceState {
    const s = this.states.find((x) => x.spec.id === serviceId);
    if (!s) throw new Error(`unknown service "${serviceId}"`);
    return s;
  }
}
