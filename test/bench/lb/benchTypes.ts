// The LB bench's vocabulary: targets, workloads, metrics with their direction, and the recorded results (the JSON written to bench/results/).

/** The targets every run measures. */
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
  | 'latencyP50Ms'
  | 'latencyP99Ms'
  | 'throughput1kMBps'
  | 'throughput16kMBps'
  | 'cpuSecPerGb1k'
  | 'cpuSecPerGb16k'
  | 'idleRssMB'
  | 'idleKBPerConn';

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
  { id: 'latencyP50Ms', label: 'CONNACK latency p50', unit: 'ms (connect() to CONNACK)', better: 'lower' },
  { id: 'latencyP99Ms', label: 'CONNACK latency p99', unit: 'ms (connect() to CONNACK)', better: 'lower' },
  { id: 'throughput1kMBps', label: 'piped 1 KiB QoS0', unit: 'MB/s', better: 'higher' },
  { id: 'throughput16kMBps', label: 'piped 16 KiB QoS0', unit: 'MB/s', better: 'higher' },
  { id: 'cpuSecPerGb1k', label: 'proxy CPU per GB (1 KiB)', unit: 'CPU s/GB', better: 'lower' },
  { id: 'cpuSecPerGb16k', label: 'proxy CPU per GB (16 KiB)', unit: 'CPU s/GB', better: 'lower' },
  { id: 'idleRssMB', label: 'RSS with idle piped conns', unit: 'MB', better: 'lower' },
  { id: 'idleKBPerConn', label: 'RSS per idle conn', unit: 'KB', better: 'lower' },
];

/** A target of the issue, as a ratio or an absolute bound on the runtime's median. */
export interface Goal {
  metric: MetricId;
  text: string;
  /** Compare runtime/haproxy to `bound`, or the runtime's own value when `absolute`. */
  kind: 'ratio-min' | 'ratio-max' | 'absolute-max';
  bound: number;
}

export const GOALS: readonly Goal[] = [
  { metric: 'connectsPerSec', text: 'connects/s >= 0.8x HAProxy', kind: 'ratio-min', bound: 0.8 },
  { metric: 'cpuUsPerConnect', text: 'CPU per connect <= 2x HAProxy', kind: 'ratio-max', bound: 2 },
  { metric: 'throughput16kMBps', text: '16 KiB throughput >= 0.9x HAProxy', kind: 'ratio-min', bound: 0.9 },
  { metric: 'latencyP99Ms', text: 'p99 connect-to-CONNACK <= 1.5x HAProxy', kind: 'ratio-max', bound: 1.5 },
  { metric: 'idleRssMB', text: '10,000 idle piped conns <= 150 MB RSS', kind: 'absolute-max', bound: 150 },
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
}
