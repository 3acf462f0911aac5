// The embedded default: three local brokers when no service is configured; mosquitto when installed (MQTT 5), else in-process aedes.
import type { ServiceSpec } from '../../lb/types';
import { AedesBroker } from './aedesBroker';
import { embeddedServices } from './embeddedServices';
import { MosquittoBroker, findMosquitto } from './mosquittoProcess';
import { startAll } from './startAll';
import { installHint } from '../../platform/executables';

export type BrokerKind = 'auto' | 'mosquitto' | 'aedes';

export interface EmbeddedBrokers {
  kind: 'mosquitto' | 'aedes';
  /** Why this kind runs, for the user. */
  reason: string;
  /** MQTT versions the brokers accept. */
  versions: string[];
  services: ServiceSpec[];
  stop(): Promise<void>;
}

export async function startEmbeddedBrokers(count: number, wanted: BrokerKind): Promise<EmbeddedBrokers> {
  const mosquitto = findMosquitto();
  if (wanted === 'mosquitto' && !mosquitto) throw new Error(`embedded brokers: "mosquitto" requested but not found on PATH or where ${process.platform} installs it (${installHint('mosquitto')})`);
  if (mosquitto && wanted !== 'aedes') {
    const brokers = await startAll(count, () => MosquittoBroker.start({ binary: mosquitto }));
    return {
      kind: 'mosquitto',
      reason: wanted === 'mosquitto' ? `mosquitto requested (${mosquitto})` : `mosquitto found at ${mosquitto}; it speaks MQTT 3.1, 3.1.1 and 5.0`,
      versions: ['3.1', '3.1.1', '5.0'],
      services: embeddedServices(brokers.map((b) => b.port)),
      stop: async () => {
        await Promise.all(brokers.map((b) => b.stop()));
      },
    };
  }
  const brokers = await startAll(count, () => AedesBroker.start());
  return {
    kind: 'aedes',
    reason: wanted === 'aedes'
      ? 'aedes requested; in-process brokers speak MQTT 3.1/3.1.1 only (5.0 clients are refused)'
      : `mosquitto not found, so in-process aedes brokers run: MQTT 3.1/3.1.1 only; for 5.0: ${installHint('mosquitto')}`,
    versions: ['3.1', '3.1.1'],
    services: embeddedServices(brokers.map((b) => b.port)),
    stop: async () => {
      await Promise.all(brokers.map((b) => b.stop()));
    },
  };
}
