// `protoext-lb simulate`: runs the extension on one client's first flight (no network) and prints one JSON object: outcome, tokens, LB decisions, reference verdict.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Balancer, addressOf } from '../lb/balancer';
import type { Decision, LbMethod, PersistenceType, ServiceSpec } from '../lb/types';
import { PROTOCOLS, type Protocol, type ReferenceJson } from '../protocols';
import { LOG_LEVELS } from '../ns/catalog';
import type { ExtensionScript, LogEntry, LogSettings } from '../ns/types';
import { DEFAULT_LOG_LEVEL } from './config';
import { resolvePacket, type ResolvedPacket } from '../packets/packetSource';
import type { PacketSpec } from '../packets/packetSpec';
import { binaryText } from './binaryText';
import { judgeRun, type Judgement } from './checkJudge';
import { runFirstFlight, type DeliveryStep, type FirstFlightOutcome, type FirstSend } from './firstFlight';
import { PROTOCOL_FLAG_USAGE, parseProtocolFlag } from './protocolFlag';
import { CliUsageError, loadScriptFile } from './scriptFile';
import { parseLbMethod, parsePersistence, parseServiceFlags } from './simulateServices';

export const SIMULATE_USAGE = `protoext-lb simulate [--protocol mqtt|syslog|raw] [--extension F] (--hex HEX | --packet FILE | --pcap FILE [--connection N])
    [--chunks N,M,...] [--service [NAME=]HOST:PORT]... [--lb-method USER_TOKEN|ROUNDROBIN|LEASTCONNECTION]
    [--persistence USERSESSION|NONE] [--log-level LEVEL]
  Runs client.on_data on one client's first flight, no network, and prints one JSON object.
${PROTOCOL_FLAG_USAGE}
  --extension   the .lua (default: the protocol's bundled sample, examples/mqtt.lua or examples/syslog.lua)
  --hex         the bytes as hex (spaces, colons, 0x allowed); --packet: a file of raw bytes or hex text;
                --pcap: the client bytes of TCP connection N (0-based) of a pcap/pcapng capture
  --chunks      sizes of successive deliveries (exercises ctxt:hold); the rest is one more delivery
  --service     the lb vserver's services (default: placeholders broker1..3 (syslog1..3 for syslog) at
                127.0.0.1:18831-18833, named like run's embedded backends, so USER_TOKEN picks the one run would;
                nothing connects)
  Output: outcome (send | hold | reset, or reply | close | pipe | drop), user_token / user_session (UTF-8 text when
  the bytes are valid UTF-8, else latin1, one character per byte; see *_encoding) with token_hex /
  session_hex (exact bytes), piped, error (file:line: message), decision (runtime/lb over the services),
  reference (the reference decoder's verdict; syslog: every framed message and its fields; raw: null), check (does
  the script agree with it; null for raw), deliveries, messages (each ns.send: event, bytes, and the decision it went
  by: a new one on the first send and after each EOM, so ROUNDROBIN spreads a syslog delivery message by message),
  log (the ns.logger lines, formatted, from --log-level on; default debug: all).
  Exit 0 when the script ran, whatever the outcome; 2 on bad arguments, unreadable files, load errors.`;

const FLAGS = {
  protocol: { type: 'string' },
  extension: { type: 'string' },
  hex: { type: 'string' },
  packet: { type: 'string' },
  pcap: { type: 'string' },
  connection: { type: 'string' },
  chunks: { type: 'string' },
  service: { type: 'string', multiple: true },
  'lb-method': { type: 'string' },
  persistence: { type: 'string' },
  'log-level': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export interface LbSettings {
  services: readonly ServiceSpec[];
  method: LbMethod;
  persistence: PersistenceType;
  /** True when no --service was given and the placeholders stand in (reported, so nobody mistakes them for real brokers). */
  placeholders?: boolean;
}

export interface SimulateReport {
  extension: string;
  outcome: FirstFlightOutcome;
  user_token: string | null;
  user_token_encoding: 'utf8' | 'latin1' | null;
  token_hex: string | null;
  user_session: string | null;
  user_session_encoding: 'utf8' | 'latin1' | null;
  session_hex: string | null;
  piped: boolean;
  closed: boolean;
  error: string | null;
  error_kind: string | null;
  sends: number;
  bytes_in: number;
  bytes_sent: number;
  /** ns.send(ctxt.client, ...) calls and their bytes: answers to the client. */
  client_sends: number;
  bytes_to_client: number;
  held_bytes: number;
  decision: Decision | null;
  /** The lb vserver's services the decision was made over ("id address"), and whether they are the placeholders. */
  services: string[];
  placeholder_services: boolean;
  /** The protocol's reference verdict (raw: `valid` null, no decoder). */
  reference: ReferenceJson;
  /** Null: the protocol has no reference to agree with (raw). */
  check: Judgement | null;
  deliveries: DeliveryStep[];
  /** Every ns.send, in order, with the decision it went by. */
  messages: SimulatedSend[];
  /** ns.logger lines of the run (and of the main chunk), in order. */
  log: LogEntry[];
}

export interface SimulatedSend {
  event: 'DATA' | 'EOM';
  bytes: number;
  decision: Decision;
  /** This send made the decision (the first send, or the first after an EOM); false: it follows the previous one. */
  new_decision: boolean;
}

/** One lb vserver for the whole run: a decision on the first send and after each EOM, as the proxy makes them. */
function decideSends(sendLog: readonly FirstSend[], lb: LbSettings): SimulatedSend[] {
  const balancer = new Balancer({ services: lb.services, method: lb.method, persistence: lb.persistence });
  let current: Decision | null = null;
  return sendLog.map((send) => {
    const fresh = current === null;
    const decision: Decision = current ?? balancer.decide({ token: send.token, session: send.session });
    current = send.event === 'EOM' ? null : decision;
    return { event: send.event, bytes: send.data.length, decision, new_decision: fresh };
  });
}

/** The pure part of simulate: one run, decisions by a fresh lb vserver (so persistence is `new`, or `none`). */
export function simulate(script: ExtensionScript, bytes: Uint8Array, deliveries: readonly Uint8Array[], lb: LbSettings, protocol: Protocol = PROTOCOLS.mqtt, log: LogEntry[] = []): SimulateReport {
  const run = runFirstFlight(script, deliveries);
  const token = run.firstSend?.token ? binaryText(run.firstSend.token) : null;
  const session = run.firstSend?.session ? binaryText(run.firstSend.session) : null;
  const messages = decideSends(run.sendLog, lb);
  const expectation = protocol.expectation(bytes);
  return {
    extension: script.file,
    outcome: run.outcome,
    user_token: token?.text ?? null,
    user_token_encoding: token?.encoding ?? null,
    token_hex: token?.hex ?? null,
    user_session: session?.text ?? null,
    user_session_encoding: session?.encoding ?? null,
    session_hex: session?.hex ?? null,
    piped: run.piped,
    closed: run.closed,
    error: run.error?.message ?? null,
    error_kind: run.error?.kind ?? null,
    sends: run.sends,
    bytes_in: bytes.length,
    bytes_sent: run.bytesSent,
    client_sends: run.replies,
    bytes_to_client: run.bytesToClient,
    held_bytes: run.heldBytes,
    decision: messages[0]?.decision ?? null,
    services: lb.services.map((svc) => `${svc.id} ${addressOf(svc)}`),
    placeholder_services: lb.placeholders ?? false,
    reference: protocol.verdict(bytes),
    check: expectation ? judgeRun(run, expectation) : null,
    deliveries: run.deliveries,
    messages,
    log,
  };
}

function parseLogLevel(text: string | undefined): LogSettings['level'] {
  if (text === undefined) return DEFAULT_LOG_LEVEL;
  const level = LOG_LEVELS.find((l) => l === text);
  if (!level) throw new CliUsageError(`--log-level: expected one of ${LOG_LEVELS.join(', ')}, got "${text}"`);
  return level;
}

export function parseChunks(text: string | undefined): number[] | undefined {
  if (text === undefined) return undefined;
  const parts = text.split(',').map((p) => p.trim());
  if (parts.some((p) => !/^\d+$/.test(p) || Number(p) === 0)) throw new CliUsageError(`--chunks: expected positive integers separated by commas, got "${text}"`);
  return parts.map(Number);
}

function packetSpec(values: { hex?: string; packet?: string; pcap?: string; connection?: string }): PacketSpec {
  const given = [values.hex, values.packet, values.pcap].filter((v) => v !== undefined).length;
  if (given !== 1) throw new CliUsageError('give exactly one of --hex HEX, --packet FILE or --pcap FILE');
  if (values.connection !== undefined && values.pcap === undefined) throw new CliUsageError('--connection goes with --pcap');
  if (values.hex !== undefined) return values.hex;
  if (values.packet !== undefined) return { file: values.packet };
  const connection = values.connection === undefined ? 0 : Number(values.connection);
  if (!Number.isInteger(connection) || connection < 0) throw new CliUsageError(`--connection: expected a connection number (0-based), got "${values.connection}"`);
  return { pcap: values.pcap as string, connection };
}

function readPacket(spec: PacketSpec, chunks: number[] | undefined): ResolvedPacket {
  const readFile = (path: string): Uint8Array => {
    try {
      return readFileSync(path);
    } catch (err) {
      throw new CliUsageError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
  };
  try {
    return resolvePacket(spec, chunks, readFile, process.cwd());
  } catch (err) {
    if (err instanceof CliUsageError) throw err;
    // packetSource speaks in launch.json terms ("packet: ...", "chunks: ..."); say which flag instead
    const flag = typeof spec === 'string' ? '--hex' : 'file' in spec ? '--packet' : '--pcap';
    const message = err instanceof Error ? err.message : String(err);
    throw new CliUsageError(message.replace(/^packet:/, `${flag}:`).replace(/^chunks:/, '--chunks:'));
  }
}

export async function simulateCommand(argv: readonly string[]): Promise<number> {
  let values;
  try {
    values = parseArgs({ args: [...argv], options: FLAGS, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw new CliUsageError(`${err instanceof Error ? err.message : String(err)}\n${SIMULATE_USAGE}`);
  }
  if (values.help) {
    process.stdout.write(`${SIMULATE_USAGE}\n`);
    return 0;
  }
  const protocol = parseProtocolFlag(values.protocol);
  const lb: LbSettings = {
    services: parseServiceFlags(values.service ?? [], protocol),
    method: parseLbMethod(values['lb-method']),
    persistence: parsePersistence(values.persistence),
    placeholders: (values.service ?? []).length === 0,
  };
  const packet = readPacket(packetSpec(values), parseChunks(values.chunks));
  const log: LogEntry[] = [];
  const { script } = await loadScriptFile(values.extension ?? null, undefined, protocol.defaults.extension, { level: parseLogLevel(values['log-level']), sink: (e) => log.push(e) });
  try {
    process.stdout.write(`${JSON.stringify(simulate(script, packet.bytes, packet.deliveries, lb, protocol, log), null, 2)}\n`);
  } finally {
    script.dispose();
  }
  return 0;
}
