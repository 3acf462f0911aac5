// The services `run` starts when none is configured, per protocol: MQTT brokers (mosquitto, else aedes), syslog servers (rsyslog, else an in-process sink), raw sinks.
import type { ServiceSpec } from '../../lb/types';
import { installHint } from '../../platform/executables';
import type { Protocol } from '../../protocols';
import type { BackendKind } from './backendKinds';
import { startEmbeddedBrokers, type BrokerKind } from './embeddedBrokers';
import { embeddedServices } from './embeddedServices';
import { RsyslogServer, findRsyslogd } from './rsyslogProcess';
import { startAll } from './startAll';
import { TcpSink } from './tcpSink';

export interface EmbeddedBackends {
  /** What runs: mosquitto, aedes, rsyslog or sink. */
  kind: string;
  /** Why this kind runs, for the user. */
  reason: string;
  /** MQTT versions the brokers accept (empty for other protocols). */
  versions: string[];
  services: ServiceSpec[];
  /** Where the user can read what each service received (rsyslog's out.log files), in service order; empty when nowhere. */
  outputs: string[];
  stop(): Promise<void>;
}

const services = (protocol: Protocol, ports: readonly number[]): ServiceSpec[] => embeddedServices(ports, protocol);

async function sinks(protocol: Protocol, count: number, reason: string): Promise<EmbeddedBackends> {
  const all = await startAll(count, () => TcpSink.start(protocol.frame));
  return { kind: 'sink', reason, versions: [], services: services(protocol, all.map((s) => s.port)), outputs: [], stop: async () => void (await Promise.all(all.map((s) => s.stop()))) };
}

async function syslogServers(protocol: Protocol, count: number, wanted: BackendKind): Promise<EmbeddedBackends> {
  const rsyslogd = findRsyslogd();
  if (wanted === 'rsyslog' && !rsyslogd) throw new Error(`embedded syslog servers: "rsyslog" requested but rsyslogd was not found (${installHint('rsyslogd')})`);
  if (!rsyslogd || wanted === 'sink') {
    return sinks(protocol, count, wanted === 'sink'
      ? 'sink requested: in-process TCP sinks count the messages (install rsyslog for real syslog servers)'
      : `rsyslogd not found, so in-process TCP sinks stand in (they count messages, nothing is written); for real servers: ${installHint('rsyslogd')}`);
  }
  const all = await startAll(count, () => RsyslogServer.start({ binary: rsyslogd }));
  return {
    kind: 'rsyslog',
    reason: `${wanted === 'rsyslog' ? 'rsyslog requested' : 'rsyslogd found'} (${rsyslogd}): one server per service, imtcp on loopback, each message a line of its out.log`,
    versions: [],
    services: services(protocol, all.map((s) => s.port)),
    outputs: all.map((s) => s.outFile),
    stop: async () => void (await Promise.all(all.map((s) => s.stop()))),
  };
}

export async function startEmbeddedBackends(protocol: Protocol, count: number, kind: BackendKind): Promise<EmbeddedBackends> {
  switch (protocol.name) {
    case 'mqtt': return { ...(await startEmbeddedBrokers(count, kind as BrokerKind)), outputs: [] };
    case 'syslog': return syslogServers(protocol, count, kind);
    case 'raw': return sinks(protocol, count, 'raw has no standard server: in-process TCP sinks receive the bytes (give --service HOST:PORT for real ones)');
  }
}
