// The load generator's syslog workloads: numbered lines over raw TCP, counted back out of the rsyslog sinks' files (each message exactly once), flood or paced.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import * as net from 'node:net';
import { DeliveryTally, syslogLine } from './syslogWire';

const HOST = '127.0.0.1';
const BLOCK_BYTES = 64 * 1024;
const POLL_MS = 5;
/** After the last expected line, how long a duplicate still has to show up. */
const SETTLE_MS = 250;

export interface SyslogRequest {
  port: number;
  /** The rsyslog output files the path delivers to (one per service; one for direct access). */
  sinks: string[];
  /** Tells this workload's lines from the others' in the same files. */
  run: string;
  connections: number;
  perConnection: number;
  messageBytes: number;
  /** null: flood (write as fast as the socket drains); else each connection writes one message every this many ms, stamped. */
  paceMs: number | null;
  timeoutMs: number;
}

export interface SyslogResult {
  messages: number;
  /** First write to the poll that found the last message in the sinks. */
  elapsedMs: number;
  /** Per message, send to rsyslog's receipt (paced only). */
  latenciesMs: number[];
}

/**
 * Wall-clock microseconds with sub-millisecond resolution: performance.now() plus its offset to Date.now(),
 * taken at a millisecond tick so the offset is exact to a few microseconds. rsyslog stamps receipt with the
 * same (realtime) clock; calibrating per workload keeps the monotonic clock's drift out of the latencies.
 */
function wallClockUs(): () => number {
  const start = Date.now();
  let tick = start;
  while (tick === start) tick = Date.now();
  const offsetMs = tick - performance.now();
  return () => (performance.now() + offsetMs) * 1000;
}

/** Reads what the sink files gained since construction, a whole line at a time. */
class SinkFollower {
  private readonly files: { path: string; offset: number; partial: string }[];

  constructor(paths: readonly string[]) {
    this.files = paths.map((path) => ({ path, offset: sizeOf(path), partial: '' }));
  }

  poll(tally: DeliveryTally): void {
    const buffer = Buffer.allocUnsafe(1 << 20);
    for (const f of this.files) {
      let fd: number;
      try {
        fd = openSync(f.path, 'r');
      } catch {
        continue;
      }
      try {
        for (let n; (n = readSync(fd, buffer, 0, buffer.length, f.offset)) > 0; ) {
          f.offset += n;
          const lines = (f.partial + buffer.toString('latin1', 0, n)).split('\n');
          f.partial = lines.pop() ?? '';
          for (const line of lines) tally.add(line);
        }
      } finally {
        closeSync(fd);
      }
    }
  }
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: HOST, port });
    socket.setNoDelay(true);
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Writes every message of one connection in 64 KiB blocks, as fast as the socket drains. */
async function flood(socket: net.Socket, r: SyslogRequest, conn: number): Promise<void> {
  const perBlock = Math.max(1, Math.floor(BLOCK_BYTES / r.messageBytes));
  for (let seq = 0; seq < r.perConnection; ) {
    const lines: string[] = [];
    for (const end = Math.min(r.perConnection, seq + perBlock); seq < end; seq++) lines.push(syslogLine(r.run, conn, seq, 0, r.messageBytes));
    if (!socket.write(lines.join(''))) await new Promise((resolve) => socket.once('drain', resolve));
  }
}

/** One message every `paceMs`, each stamped with its send time; late timers catch up rather than stretch the run. */
async function paced(socket: net.Socket, r: SyslogRequest, conn: number, wallUs: () => number, paceMs: number): Promise<void> {
  const start = performance.now() + (conn * paceMs) / r.connections;
  for (let seq = 0; seq < r.perConnection; seq++) {
    const wait = start + seq * paceMs - performance.now();
    if (wait > 0) await sleep(wait);
    socket.write(syslogLine(r.run, conn, seq, wallUs(), r.messageBytes));
  }
}

function closed(socket: net.Socket): Promise<void> {
  return new Promise((resolve) => {
    if (socket.destroyed) return resolve();
    socket.once('close', () => resolve());
    socket.end();
  });
}

/** Sends the workload, then polls the sinks until every message is there (or the deadline), and checks each arrived exactly once. */
export async function syslogWorkload(r: SyslogRequest): Promise<SyslogResult> {
  const tally = new DeliveryTally(r.run, r.connections, r.perConnection);
  const sinks = new SinkFollower(r.sinks);
  const wallUs = wallClockUs();
  const sockets = await Promise.all(Array.from({ length: r.connections }, () => connect(r.port)));
  for (const s of sockets) s.on('error', () => undefined);
  const started = performance.now();
  const deadline = started + r.timeoutMs;
  const sending = Promise.all(sockets.map((s, conn) => (r.paceMs === null ? flood(s, r, conn) : paced(s, r, conn, wallUs, r.paceMs!)).then(() => closed(s))));
  let failed: unknown = null;
  sending.catch((err: unknown) => (failed = err));
  while (tally.received + tally.duplicates < tally.expected && failed === null && performance.now() < deadline) {
    await sleep(POLL_MS);
    sinks.poll(tally);
  }
  const elapsedMs = performance.now() - started;
  for (const s of sockets) s.destroy();
  if (failed !== null) throw failed instanceof Error ? failed : new Error(String(failed));
  await sleep(SETTLE_MS);
  sinks.poll(tally);
  const problem = tally.problem();
  if (problem) throw new Error(`syslog ${r.paceMs === null ? 'flood' : 'paced'} ${r.run}: ${problem}${performance.now() >= deadline ? ` within ${r.timeoutMs} ms` : ''}`);
  return { messages: tally.received, elapsedMs, latenciesMs: tally.latenciesMs };
}
