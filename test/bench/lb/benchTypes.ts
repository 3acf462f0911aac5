// The LB bench's vocabulary: targets, workloads, metrics with their direction, and the recorded results (the JSON written to bench/results/).

/**
 * The targets every run measures, as columns. A column is one kind of path: the runtime; HAProxy; a plain Node
 * proxy; no proxy at all. Each workload family has its own processes behind these columns: MQTT (examples/mqtt.lua,
 * mosquitto), the native path (the runtime without client.on_data, storm only) and syslog (examples/syslog.lua,
 * rsyslog; HAProxy has no message-based balancing, see the syslog protocol's export hint).
 */
export type BaseTargetName = 'runtime' | 'haproxy' | 'direct';
export const TARGETS: readonly BaseTargetName[] = ['runtime', 'haproxy', 'direct'];
/** The bare Node pipe proxy (nodeFloorProxy.ts): what Node's net.Socket alone costs. Measured unless --no-floor. */
export const FLOOR = 'node-floor';
export type TargetName = BaseTargetName | typeof FLOOR;

/** One value per target; the floor's entry is absent from runs made with --no-floor. */
export type PerTarget<T> = Record<BaseTargetName, T> & Partial<Record<typeof FLOOR, T>>;

/** The targets a run (or its summary) holds, in column order: runtime, HAProxy, the floor when measured, direct. */
export function targetsOf(byTarget: PerTarget<unknown>): TargetName[] {
  return byTarget[FLOOR] === undefined ? [...TARGETS] : ['runtime', 'haproxy', FLOOR, 'direct'];
}

export type MetricId =
  | 'connectsPerSec'
  | 'cpuUsPerConnect'
  | 'backgroundCpuUsPerConnect'
  | 'latencyP50Ms'
  | 'latencyP99Ms'
  | 'throughput1kMBps'
  | 'throughput16kMBps'
  | 'cpuSecPerGb1k'
  | 'cpuSecPerGb16k'
  | 'idleRssMB'
  | 'idleKBPerConn'
  | 'nativeCpuUsPerConnect'
  | 'scriptUsPerConnect'
  | 'messagesPerSec'
  | 'cpuUsPerMessage'
  | 'messageLatencyP50Ms'
  | 'messageLatencyP99Ms';

export interface MetricInfo {
  id: MetricId;
  label: string;
  unit: string;
  /** Which way is better: rates up, costs and latencies down. */
  better: 'higher' | 'lower';
}

export const METRICS: readonly MetricInfo[] = [
  { id: 'connectsPerSec', label: 'connect storm', unit: 'connects/s', better: 'higher' },
  { id: 'cpuUsPerConnect', label: 'proxy CPU per connect', unit: 'us (= CPU s per 1,000,000)', better: 'lower' },
  { id: 'backgroundCpuUsPerConnect', label: 'of which off the main thread', unit: 'us (storm; Node: V8 compiler and GC threads)', better: 'lower' },
  { id: 'latencyP50Ms', label: 'CONNACK latency p50', unit: 'ms (connect() to CONNACK)', better: 'lower' },
  { id: 'latencyP99Ms', label: 'CONNACK latency p99', unit: 'ms (connect() to CONNACK)', better: 'lower' },
  { id: 'throughput1kMBps', label: 'piped 1 KiB QoS0', unit: 'MB/s', better: 'higher' },
  { id: 'throughput16kMBps', label: 'piped 16 KiB QoS0', unit: 'MB/s', better: 'higher' },
  { id: 'cpuSecPerGb1k', label: 'proxy CPU per GB (1 KiB)', unit: 'CPU s/GB', better: 'lower' },
  { id: 'cpuSecPerGb16k', label: 'proxy CPU per GB (16 KiB)', unit: 'CPU s/GB', better: 'lower' },
  { id: 'idleRssMB', label: 'RSS with idle piped conns', unit: 'MB', better: 'lower' },
  { id: 'idleKBPerConn', label: 'RSS per idle conn', unit: 'KB', better: 'lower' },
  { id: 'nativeCpuUsPerConnect', label: 'CPU per connect, no on_data', unit: 'us (storm, the native path)', better: 'lower' },
  { id: 'scriptUsPerConnect', label: 'script phase per connect', unit: 'us CPU (storm: with mqtt.lua minus without on_data)', better: 'lower' },
  { id: 'messagesPerSec', label: 'syslog messages', unit: 'messages/s (one decision each)', better: 'higher' },
  { id: 'cpuUsPerMessage', label: 'proxy CPU per message', unit: 'us', better: 'lower' },
  { id: 'messageLatencyP50Ms', label: 'message latency p50', unit: 'ms (write to rsyslog receipt, paced)', better: 'lower' },
  { id: 'messageLatencyP99Ms', label: 'message latency p99', unit: 'ms (write to rsyslog receipt, paced)', better: 'lower' },
];

/** A target of the issue, as a ratio or an absolute bound on the runtime's median. */
export interface Goal {
  metric: MetricId;
  text: string;
  /** Compare runtime / `versus` (HAProxy unless said) to `bound`, or the runtime's own value when `absolute`. */
  kind: 'ratio-min' | 'ratio-max' | 'absolute-max';
  bound: number;
  /** The unit of an absolute bound, shown after the value. */
  unit?: string;
  /** The peer of a ratio: HAProxy, or the direct path where HAProxy cannot do the workload (syslog per message). */
  versus?: 'haproxy' | 'direct';
}

export const GOALS: readonly Goal[] = [
  { metric: 'connectsPerSec', text: 'connects/s >= 0.85x HAProxy', kind: 'ratio-min', bound: 0.85 },
  { metric: 'cpuUsPerConnect', text: 'CPU per connect <= 1.6x HAProxy', kind: 'ratio-max', bound: 1.6 },
  { metric: 'scriptUsPerConnect', text: 'script phase <= 15 us CPU per connect', kind: 'absolute-max', bound: 15, unit: 'us' },
  { metric: 'throughput16kMBps', text: '16 KiB throughput >= 0.9x HAProxy', kind: 'ratio-min', bound: 0.9 },
  { metric: 'latencyP99Ms', text: 'p99 connect-to-CONNACK <= 1.5x HAProxy', kind: 'ratio-max', bound: 1.5 },
  { metric: 'idleRssMB', text: '10,000 idle piped conns <= 100 MB RSS', kind: 'absolute-max', bound: 100, unit: 'MB' },
  { metric: 'messagesPerSec', text: 'syslog messages/s >= 0.7x direct rsyslog', kind: 'ratio-min', bound: 0.7, versus: 'direct' },
];

/** One repetition of every workload on one target; NaN where a workload failed or does not apply. */
export type RepMetrics = Record<MetricId, number>;

export interface BenchRun {
  startedAt: string;
  host: { cpus: number; loadavgStart: number[]; loadavgEnd: number[]; node: string; haproxy: string; mosquitto: string };
  settings: BenchSettings;
  /** Every repetition of every target, in run order. */
  reps: PerTarget<RepMetrics[]>;
  notes: string[];
  errors: string[];
}

export interface BenchSettings {
  repetitions: number;
  quick: boolean;
  workers: number;
  stormConnections: number;
  stormInFlight: number;
  serialConnects: number;
  throughputMiB1k: number;
  throughputMiB16k: number;
  /** Idle connections actually held (the FD limit may force fewer than 10,000). */
  idleConnections: number;
  nofileLimit: number;
  /** Syslog flood: messages over `syslogConnections` connections, written as fast as the path takes them. */
  syslogMessages: number;
  syslogConnections: number;
  /** Syslog latency: messages sent one at a time, each connection one every `syslogPacedIntervalMs`. */
  syslogPacedMessages: number;
  syslogPacedIntervalMs: number;
  /** Bytes of each syslog message, LF included. */
  syslogMessageBytes: number;
}
