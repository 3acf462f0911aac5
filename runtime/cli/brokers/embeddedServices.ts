// The names `run` gives its embedded brokers (broker1..brokerN): USER_TOKEN hashes over names, so whoever predicts run's decision uses these.
import type { ServiceSpec } from '../../lb/types';

/** Ports of the brokers `run` started, as lb services named broker1, broker2... in start order. */
export function embeddedServices(ports: readonly number[]): ServiceSpec[] {
  return ports.map((port, i) => ({ id: `broker${i + 1}`, host: '127.0.0.1', port }));
}

/**
 * Stand-ins for `count` embedded brokers when they are not running (simulate, the debugger): the same names, so the
 * same USER_TOKEN choice; their ports (18831 and up) are placeholders, as run's brokers take ephemeral ports.
 */
export function embeddedPlaceholders(count: number): ServiceSpec[] {
  return embeddedServices(Array.from({ length: count }, (_, i) => 18831 + i));
}
