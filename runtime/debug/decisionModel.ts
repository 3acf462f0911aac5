// The LB decision the debugged connection gets once the script calls ns.send: runtime/lb's Balancer over the launch's services.
import { Balancer } from '../lb/balancer';
import { DEFAULT_PERSISTENCE_TIMEOUT_MINUTES, type Decision, type LbMethod, type PersistenceType, type ServiceSpec } from '../lb/types';
import { DEFAULT_SERVICES, type ServiceArg } from './launchConfig';

export interface DebugDecision extends Decision {
  /** The lbMethod/persistence settings used, and when the persistence entry would expire. */
  persistenceType: PersistenceType;
  expiry: string;
}

export interface DecisionSettings {
  services?: readonly ServiceArg[];
  lbMethod?: LbMethod;
  persistence?: PersistenceType;
  persistenceTimeout?: number;
}

export function parseServices(args: readonly ServiceArg[] | undefined): ServiceSpec[] {
  const list = args && args.length > 0 ? args : DEFAULT_SERVICES;
  return list.map((s, i) => {
    if (typeof s !== 'string') return { id: s.id ?? `svc${i + 1}`, host: s.host, port: s.port };
    const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(s.trim());
    if (!m) throw new Error(`services: "${s}" is not HOST:PORT`);
    return { id: `svc${i + 1}`, host: m[1], port: Number(m[2]) };
  });
}

/** One fresh Balancer per run: a replayed run makes the same decision (deterministic re-execution). */
export class DecisionModel {
  private balancer: Balancer;
  private readonly timeout: number;
  decision: DebugDecision | null = null;

  constructor(private readonly settings: DecisionSettings) {
    this.timeout = settings.persistenceTimeout ?? DEFAULT_PERSISTENCE_TIMEOUT_MINUTES;
    this.balancer = this.create();
  }

  private create(): Balancer {
    return new Balancer({
      services: parseServices(this.settings.services),
      method: this.settings.lbMethod ?? 'USER_TOKEN',
      persistence: this.settings.persistence ?? 'USERSESSION',
      persistenceTimeoutMinutes: this.timeout,
    });
  }

  reset(): void {
    this.balancer = this.create();
    this.decision = null;
  }

  /** The LB decides on the first DATA it receives; later sends ride on that decision until an EOM. */
  onSend(token: Uint8Array | null, session: Uint8Array | null): DebugDecision | null {
    if (this.decision !== null) return null;
    const d = this.balancer.decide({ token, session });
    if (d.service !== null) this.balancer.connectionOpened(d.service, session);
    const type = this.balancer.persistenceType;
    const expiry = type === 'USERSESSION' && d.session !== null
      ? `entry kept while the connection is open, then ${this.timeout} min idle timeout`
      : 'no persistence entry';
    this.decision = { ...d, persistenceType: type, expiry };
    return this.decision;
  }

  onEom(): void {
    this.decision = null;
  }
}
