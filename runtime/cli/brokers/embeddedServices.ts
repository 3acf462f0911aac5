// The names `run` gives its embedded backends (broker1..N for MQTT, the protocol's own names otherwise): USER_TOKEN hashes over names, so whoever predicts run's decision uses these.
import type { ServiceSpec } from '../../lb/types';
import { PROTOCOLS, type Protocol } from '../../protocols';

/** Ports of the backends `run` started, as lb services named by the protocol (broker1, broker2... for MQTT) in start order. */
export function embeddedServices(ports: readonly number[], protocol: Protocol = PROTOCOLS.mqtt): ServiceSpec[] {
  return ports.map((port, i) => ({ id: protocol.defaults.serviceName(i + 1), host: '127.0.0.1', port }));
}

/**
 * Stand-ins for `count` embedded backends when they are not running (simulate, the debugger): the same names, so the
 * same USER_TOKEN choice; their ports (18831 and up) are placeholders, as run's backends take ephemeral ports.
 */
export function embeddedPlaceholders(count: number, protocol: Protocol = PROTOCOLS.mqtt): ServiceSpec[] {
  return embeddedServices(Array.from({ length: count }, (_, i) => 18831 + i), protocol);
}
