// The syslog workloads' bytes: numbered RFC 5424 lines carrying their send time, the rsyslog sink lines that receive them, and the exactly-once tally.
import { syslogMessage } from '../../../runtime/protocols/syslog/syslogEncoder';

/**
 * One LF-framed RFC 5424 message of exactly `bytes` bytes (LF included): `<run> <conn>.<seq> <sentUs>` then
 * padding. `run` tells this workload's lines from any other's in the same sink file; `sentUs` (wall clock,
 * microseconds, 0 when not timed) is when the sender wrote it.
 */
export function syslogLine(run: string, conn: number, seq: number, sentUs: number, bytes: number): string {
  const head = syslogMessage({ hostname: 'bench', appName: 'lbbench', msg: `${run} ${conn}.${seq} ${Math.round(sentUs)} ` });
  return head.padEnd(Math.max(head.length, bytes - 1), 'x') + '\n';
}

/** Microseconds since the epoch of an RFC 3339 time with up to 6 fraction digits (rsyslog's `date-rfc3339`). */
export function rfc3339Micros(text: string): number {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?(Z|[+-]\d\d:\d\d)$/.exec(text);
  if (!m) return Number.NaN;
  return Date.parse(`${m[1]}${m[3]}`) * 1000 + Number((m[2] ?? '').padEnd(6, '0'));
}

export interface SinkLine {
  receivedUs: number;
  run: string;
  conn: number;
  seq: number;
  sentUs: number;
}

const SINK_LINE = /^(\S+) <\d+>1 \S+ bench lbbench - - - (\S+) (\d+)\.(\d+) (\d+) x*$/;

/** A line of the stamped rsyslog sink (`%timegenerated:::date-rfc3339% %rawmsg%`); null for anything else. */
export function parseSinkLine(line: string): SinkLine | null {
  const m = SINK_LINE.exec(line);
  if (!m) return null;
  return { receivedUs: rfc3339Micros(m[1]), run: m[2], conn: Number(m[3]), seq: Number(m[4]), sentUs: Number(m[5]) };
}

/**
 * Counts one workload's messages as the sinks report them: each (connection, sequence) must arrive exactly
 * once, whichever sink got it; lines of the run that are not its messages, and unreadable lines, are counted too.
 */
export class DeliveryTally {
  private readonly seen: Uint8Array[];
  received = 0;
  duplicates = 0;
  /** Lines that are not one of this run's messages (another run's, or unparseable). */
  foreign = 0;
  /** Receipt minus send time, for the messages sent with a time. */
  readonly latenciesMs: number[] = [];

  constructor(
    readonly run: string,
    readonly connections: number,
    readonly perConnection: number,
  ) {
    this.seen = Array.from({ length: connections }, () => new Uint8Array(perConnection));
  }

  get expected(): number {
    return this.connections * this.perConnection;
  }

  /** Every expected message seen, none twice, nothing foreign. */
  get exact(): boolean {
    return this.received === this.expected && this.duplicates === 0 && this.foreign === 0;
  }

  add(line: string): void {
    const p = parseSinkLine(line);
    if (!p || p.run !== this.run || p.conn >= this.connections || p.seq >= this.perConnection) {
      this.foreign++;
      return;
    }
    const seen = this.seen[p.conn];
    if (seen[p.seq]) {
      this.duplicates++;
      return;
    }
    seen[p.seq] = 1;
    this.received++;
    if (p.sentUs > 0) this.latenciesMs.push((p.receivedUs - p.sentUs) / 1000);
  }

  /** What went wrong, for the bench's error list; null when every message arrived exactly once. */
  problem(): string | null {
    if (this.exact) return null;
    return `${this.received} of ${this.expected} messages arrived (${this.duplicates} twice, ${this.foreign} foreign lines)`;
  }
}
