// Vocabulary of load-balancing decisions shared by the balancer, the proxy, the CLI and the debugger.

export type LbMethod = 'USER_TOKEN' | 'ROUNDROBIN' | 'LEASTCONNECTION';
export const LB_METHODS: readonly LbMethod[] = ['USER_TOKEN', 'ROUNDROBIN', 'LEASTCONNECTION'];

export type PersistenceType = 'USERSESSION' | 'NONE';

/** An lb vserver's -persistenceType and -timeout (minutes). */
export interface PersistenceSettings {
  type: PersistenceType;
  timeoutMinutes: number;
}
export const PERSISTENCE_TYPES: readonly PersistenceType[] = ['USERSESSION', 'NONE'];

/** ADC default for `-timeout` on a USERSESSION lb vserver, in minutes. */
export const DEFAULT_PERSISTENCE_TIMEOUT_MINUTES = 2;

export interface ServiceSpec {
  /** Stable name (ADC service name); the hash is computed over it, so renaming moves tokens. */
  id: string;
  host: string;
  port: number;
}

/**
 * `new`: no entry, one was created. `hit`: the entry's service was up and used.
 * `rebound`: the entry's service was down (or failed), another was chosen and the entry now points there.
 * `none`: persistence is off, or the session was empty/absent.
 */
export type PersistenceOutcome = 'new' | 'hit' | 'rebound' | 'none';

/** How the service was actually picked (differs from the configured method on a fallback). */
export type ChosenBy = 'persistence' | 'USER_TOKEN' | 'ROUNDROBIN' | 'LEASTCONNECTION' | 'none';

export interface Decision {
  /** Chosen service id, or null when no service is up. */
  service: string | null;
  address: string | null;
  /** The configured lbMethod of the vserver. */
  method: LbMethod;
  chosenBy: ChosenBy;
  /** User token as text (UTF-8, invalid bytes replaced) and exact bytes in hex; null when absent. */
  token: string | null;
  tokenHex: string | null;
  session: string | null;
  persistence: PersistenceOutcome;
  /** One sentence a user can read: why this service. */
  reason: string;
}

export interface DecisionRequest {
  token: Uint8Array | null;
  session: Uint8Array | null;
  /** Services that just failed for this request (passive failure): never chosen again for it. */
  exclude?: ReadonlySet<string>;
  /** The session's persistence key when the caller has it already (Balancer.persistenceKey): not made twice per connection. */
  key?: string | null;
}

export interface PersistenceEntry {
  session: string;
  /** The exact session bytes, in hex (set by the balancer). */
  sessionHex?: string;
  service: string;
  /** Epoch ms when the entry expires if nothing refreshes it (null while connections are open on it). */
  expiresAt: number | null;
  activeConnections: number;
}

/** Injectable time source so tests drive expiry without waiting. */
export type Clock = () => number;
