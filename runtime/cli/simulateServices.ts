// The lb vserver simulate decides over: `--service [NAME=]HOST:PORT` flags, or three placeholder loopback services named like run's embedded backends.
import { LB_METHODS, PERSISTENCE_TYPES, type LbMethod, type PersistenceType, type ServiceSpec } from '../lb/types';
import { PROTOCOLS, type Protocol } from '../protocols';
import { embeddedPlaceholders } from './brokers/embeddedServices';
import { defaultConfig, parseHostPort } from './config';
import { CliUsageError } from './scriptFile';

/**
 * `run` with no services starts backends named by the protocol (broker1..broker3 for MQTT) on ephemeral ports. USER_TOKEN hashes over service
 * names, not addresses, so these placeholders (nothing connects to them) pick the same backend `run` would.
 */
export function placeholderServices(protocol: Protocol): ServiceSpec[] {
  return embeddedPlaceholders(defaultConfig().embedded.brokers, protocol);
}

export const PLACEHOLDER_SERVICES: readonly ServiceSpec[] = placeholderServices(PROTOCOLS.mqtt);

/** Same naming as `run`: `NAME=HOST:PORT`, or svcN for the N-th flag; none: the protocol's placeholders. */
export function parseServiceFlags(flags: readonly string[], protocol: Protocol = PROTOCOLS.mqtt): ServiceSpec[] {
  if (flags.length === 0) return placeholderServices(protocol);
  const seen = new Set<string>();
  return flags.map((flag, i) => {
    const eq = flag.indexOf('=');
    const id = eq > 0 ? flag.slice(0, eq) : `svc${i + 1}`;
    const address = parseHostPort(eq > 0 ? flag.slice(eq + 1) : flag);
    if (!address) throw new CliUsageError(`--service: "${flag}" is not [NAME=]HOST:PORT`);
    if (seen.has(id)) throw new CliUsageError(`--service: the name "${id}" is used twice`);
    seen.add(id);
    return { id, ...address };
  });
}

export function parseLbMethod(text: string | undefined): LbMethod {
  if (text === undefined) return 'USER_TOKEN';
  const method = LB_METHODS.find((m) => m === text.toUpperCase());
  if (!method) throw new CliUsageError(`--lb-method: expected ${LB_METHODS.join('|')}, got "${text}"`);
  return method;
}

export function parsePersistence(text: string | undefined): PersistenceType {
  if (text === undefined) return 'USERSESSION';
  const type = PERSISTENCE_TYPES.find((t) => t === text.toUpperCase());
  if (!type) throw new CliUsageError(`--persistence: expected ${PERSISTENCE_TYPES.join('|')}, got "${text}"`);
  return type;
}
