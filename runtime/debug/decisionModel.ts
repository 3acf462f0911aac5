// The LB decision the debugged connection gets once the script calls ns.send: runtime/lb's Balancer over the local LB's services.
import { Balancer, sessionKey } from '../lb/balancer';
import type { Decision, LbMethod, PersistenceType, ServiceSpec } from '../lb/types';
import { embeddedPlaceholders } from '../cli/brokers/embeddedServices';
import { defaultConfigFor, type RunConfig } from '../cli/config';
import { PROTOCOLS, type ProtocolName } from '../protocols';
import type { ServiceArg } from './launchConfig';

export interface DebugDecision extends Decision {
  /** The lbMethod/persistence settings used, and when the persistence entry would expire. */
  persistenceType: PersistenceType;
  expiry: string;
  /** Who decided, over which services: a decision is only worth showing if the user knows it is the local LB's. */
  basis: string;
}

export interface DecisionSettings {
  services?: readonly ServiceArg[];
  lbMethod?: LbMethod;
  persistence?: PersistenceType;
  persistenceTimeout?: number;
  /** Where the services come from, said with every decision (the client fills it in with the services). */
  servicesFrom?: string;
}

/**
 * The settings of the LB `config` describes (protoext.json, the protoext.lb.* settings, or run's defaults): its
 * services, or, when it names none, the embedded backends run starts, by the names run gives them.
 */
export function decisionSettingsOf(config: RunConfig, source: string): Required<DecisionSettings> {
  const embedded = config.services.length === 0;
  const services = embedded ? embeddedPlaceholders(config.embedded.brokers, PROTOCOLS[config.protocol]) : config.services;
  return {
    services: services.map((s) => ({ id: s.id, host: s.host, port: s.port })),
    lbMethod: config.lbMethod,
    persistence: config.persistence.type,
    persistenceTimeout: config.persistence.timeoutMinutes,
    servicesFrom: embedded
      ? `the ${services.length} embedded backends the local LB starts since no service is configured in ${source} (${services.map((s) => s.id).join(', ')})`
      : `the services of ${source} (${services.map((s) => s.id).join(', ')})`,
  };
}

/** With no services in the launch configuration: what `protoext-lb run --protocol NAME` with no configuration would use. */
function runDefaults(protocol: ProtocolName): Required<DecisionSettings> {
  return decisionSettingsOf(defaultConfigFor(protocol), `protoext-lb run --protocol ${protocol} with no configuration`);
}

export function parseServices(args: readonly ServiceArg[]): ServiceSpec[] {
  return args.map((s, i) => {
    if (typeof s !== 'string') return { id: s.id ?? `svc${i + 1}`, host: s.host, port: s.port };
    const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(s.trim());
    if (!m) throw new Error(`services: "${s}" is not HOST:PORT`);
    return { id: `svc${i + 1}`, host: m[1], port: Number(m[2]) };
  });
}

/** The decision as the debugger shows it: the same words whether the debugger made it (launch) or the LB did (attach). */
export function debugDecision(d: Decision, persistenceType: PersistenceType, timeoutMinutes: number, basis: string): DebugDecision {
  const expiry = persistenceType === 'USERSESSION' && d.session !== null
    ? `entry kept while the connection is open, then ${timeoutMinutes} min idle timeout`
    : 'no persistence entry';
  return { ...d, persistenceType, expiry, basis };
}

/** One fresh Balancer per run: a replayed run makes the same decision (deterministic re-execution). */
export class DecisionModel {
  private balancer: Balancer;
  private readonly settings: Required<DecisionSettings>;
  readonly basis: string;
  decision: DebugDecision | null = null;

  constructor(settings: DecisionSettings, protocol: ProtocolName) {
    const defaults = runDefaults(protocol);
    const given = settings.services !== undefined && settings.services.length > 0;
    this.settings = {
      services: given ? settings.services ?? [] : defaults.services,
      servicesFrom: given ? settings.servicesFrom ?? 'the services of the launch configuration' : defaults.servicesFrom,
      lbMethod: settings.lbMethod ?? defaults.lbMethod,
      persistence: settings.persistence ?? defaults.persistence,
      persistenceTimeout: settings.persistenceTimeout ?? defaults.persistenceTimeout,
    };
    this.basis = `decided here, as the local LB would, over ${this.settings.servicesFrom}`;
    this.balancer = this.create();
  }

  private create(): Balancer {
    return new Balancer({
      services: parseServices(this.settings.services),
      method: this.settings.lbMethod,
      persistence: this.settings.persistence,
      persistenceTimeoutMinutes: this.settings.persistenceTimeout,
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
    if (d.service !== null) this.balancer.connectionOpened(d.service, sessionKey(session));
    this.decision = debugDecision(d, this.balancer.persistenceType, this.settings.persistenceTimeout, this.basis);
    return this.decision;
  }

  onEom(): void {
    this.decision = null;
  }
}
