// Builds the inspector's state at a stop for any protocol: the bytes with the protocol's field map, what the script read, the messages sent and the decision.
import { messagesOf, type Protocol, type ProtocolField, type ProtocolName } from '../protocols';
import type { DebugDecision } from './decisionModel';
import type { DecisionStatus } from './runState';
import type { StopInfo } from './workerProtocol';

/** Sent to the client as the body of the custom DAP event `protoext/inspector` (adapter -> client -> webview). */
export interface InspectorState {
  program: string;
  line: number;
  reason: string;
  delivery: number;
  deliveries: number;
  protocol: ProtocolView;
  /** The bytes on_data sees in this delivery (held + new). */
  bytes: number[];
  reads: number[];
  lastRead: number | null;
  fields: InspectorField[];
  reference: ReferenceView;
  /** The token the script extracted (protocols with a token: MQTT's ClientID). */
  script: { token: string | null; tokenHex: string | null; from: 'user_token' | 'local clientID' | null };
  /** Every ns.send so far in this run, oldest first, with the decision it got. */
  sent: SentView[];
  /** Set when the script disagrees with the reference (another token, other messages) or holds what is complete. */
  warning: string | null;
  decision: DebugDecision | null;
  /** ns.send ran but the decision is the LB's to make and report (attach): it shows once the LB applied the result. */
  decisionPending: boolean;
  exception: string | null;
}

/** What the inspector needs to know of the protocol to word itself. */
export interface ProtocolView {
  name: ProtocolName;
  title: string;
  balancing: Protocol['balancing'];
  /** What the reference calls the token ('ClientID'); null: the protocol has none, so no token comparison. */
  tokenName: string | null;
  unitName: string;
  hasDecoder: boolean;
}

export interface InspectorField {
  id: string;
  offset: number;
  length: number;
  label: string;
  value: string;
  parent?: string;
  note?: string;
  digits?: ProtocolField['digits'];
}

export interface ReferenceView {
  /** `none`: the protocol has no reference decoder (raw). */
  status: 'ok' | 'incomplete' | 'invalid' | 'none';
  /** Version or format ('3.1.1', 'RFC 5424'), or for message protocols how many messages the framing finds. */
  label: string | null;
  token: string | null;
  tokenHex: string | null;
  error: string | null;
  /** Bytes the reference takes (the CONNECT; the whole messages) when complete. */
  length: number | null;
}

/** One ns.send of the run: what it carried and where the LB sent it. */
export interface SentView {
  /** 1-based, in send order. */
  index: number;
  event: 'DATA' | 'EOM';
  length: number;
  /** The bytes as text, control characters escaped (a syslog line reads as itself). */
  text: string;
  hex: string;
  /** The decision this send rode on (null: not known yet, e.g. the LB decides on attach). */
  service: string | null;
  reason: string | null;
}

/** What a protocol's reference says about the bytes: its verdict, its field map, and the token it would extract. */
export interface PacketReference { view: ReferenceView; fields: InspectorField[]; token: Uint8Array | null; messages: string[] | null }
export type FieldMap = (bytes: Uint8Array) => PacketReference;

export function protocolView(p: Protocol): ProtocolView {
  return { name: p.name, title: p.title, balancing: p.balancing, tokenName: p.tokenName, unitName: p.unitName, hasDecoder: p.decode !== null };
}

function fieldView(f: ProtocolField, offset = 0, prefix = ''): InspectorField {
  return {
    id: `${prefix}${f.name}`, offset: f.offset + offset, length: f.length, label: `${prefix}${f.label ?? f.name}`, value: f.value === null ? '' : String(f.value),
    ...(f.parent !== undefined ? { parent: `${prefix}${f.parent}` } : {}),
    ...(f.note !== undefined ? { note: f.note } : {}),
    ...(f.digits ? { digits: f.digits.map((d) => ({ ...d, offset: d.offset + offset })) } : {}),
  };
}

const NO_REFERENCE: ReferenceView = { status: 'none', label: null, token: null, tokenHex: null, error: 'no reference decoder: the script alone defines the messages', length: null };

/** The protocol's field map: one first flight (connection protocols), or every message its framing cuts (message protocols). */
export function referenceOf(protocol: Protocol): FieldMap {
  const decode = protocol.decode;
  const frame = protocol.frame;
  if (decode === null) return () => ({ view: NO_REFERENCE, fields: [], token: null, messages: null });
  if (frame === null) {
    return (bytes) => {
      const r = decode(bytes);
      const fields = r.fields.map((f) => fieldView(f));
      if (r.status === 'ok') {
        const token = r.token === null ? null : Buffer.from(r.token);
        return { view: { status: 'ok', label: r.label, token: token?.toString('utf8') ?? null, tokenHex: token?.toString('hex') ?? null, error: null, length: r.length }, fields, token: r.token, messages: null };
      }
      const error = r.status === 'invalid' ? r.error : `incomplete: ${r.needed === null ? 'more bytes' : `at least ${r.needed} more byte(s)`} needed`;
      return { view: { status: r.status, label: null, token: null, tokenHex: null, error, length: null }, fields, token: null, messages: null };
    };
  }
  return (bytes) => {
    const cut = messagesOf(frame, bytes);
    const fields: InspectorField[] = [];
    let at = 0;
    cut.messages.forEach((hex, i) => {
      const length = hex.length / 2;
      const r = decode(bytes.subarray(at, at + length));
      fields.push(...r.fields.map((f) => fieldView(f, at, `#${i + 1} `)));
      at += length;
    });
    const n = cut.messages.length;
    const label = `${n} ${protocol.unitName}${n === 1 ? '' : 's'}${cut.heldBytes > 0 ? `, then ${cut.heldBytes} byte(s) of an incomplete one` : ''}`;
    const status = cut.invalid ? 'invalid' : n === 0 ? 'incomplete' : 'ok';
    return { view: { status, label, token: null, tokenHex: null, error: cut.invalid?.message ?? null, length: at }, fields, token: null, messages: cut.messages };
  };
}

export interface ScriptView {
  token: Uint8Array | null;
  from: InspectorState['script']['from'];
}

export function buildInspectorState(program: string, stop: StopInfo, deliveries: number, script: ScriptView, decision: DecisionStatus, fieldMap: FieldMap, protocol: ProtocolView, sent: readonly SentView[]): InspectorState {
  const ref = fieldMap(stop.data);
  return {
    program, line: stop.line, reason: stop.reason, delivery: stop.delivery, deliveries, protocol,
    bytes: Array.from(stop.data), reads: stop.reads, lastRead: stop.lastRead,
    fields: ref.fields, reference: ref.view,
    script: {
      token: script.token ? Buffer.from(script.token).toString('utf8') : null,
      tokenHex: script.token ? Buffer.from(script.token).toString('hex') : null,
      from: script.token ? script.from : null,
    },
    sent: [...sent],
    warning: protocol.tokenName !== null ? compare(script, ref, protocol) : compareMessages(sent, ref.messages, protocol),
    decision: decision.kind === 'made' ? decision.decision : null,
    decisionPending: decision.kind === 'pending',
    exception: stop.exception,
  };
}

const shown = (b: Uint8Array): string => JSON.stringify(Buffer.from(b).toString('utf8'));

/** The warning the inspector shows in bold: the script's token is not the one the packet carries. */
export function compare(script: ScriptView, ref: PacketReference, protocol: ProtocolView): string | null {
  if (script.token === null || script.from === null) return null;
  const name = protocol.tokenName ?? 'token';
  if (ref.token === null) return ref.view.status === 'invalid' ? `The script extracted a ${name} from a ${protocol.unitName} the reference decoder rejects: ${ref.view.error}` : null;
  if (Buffer.compare(Buffer.from(script.token), Buffer.from(ref.token)) === 0) return null;
  return `${name} mismatch: the script extracted ${shown(script.token)} (${script.from}) but the packet's ${name} is ${shown(ref.token)} (${protocol.title} ${ref.view.label}).`;
}

/** Message protocols: the k-th message the script sent must be the k-th message the reference framing cuts. */
export function compareMessages(sent: readonly SentView[], reference: string[] | null, protocol: ProtocolView): string | null {
  if (reference === null) return null;
  const eoms = messagesSent(sent);
  for (let i = 0; i < eoms.length && i < reference.length; i++) {
    if (eoms[i] !== reference[i]) {
      return `${protocol.unitName} ${i + 1} differs: the script sent ${JSON.stringify(Buffer.from(eoms[i], 'hex').toString('latin1'))} but the reference framing cuts ${JSON.stringify(Buffer.from(reference[i], 'hex').toString('latin1'))}.`;
    }
  }
  return null;
}

/** The messages as the LB sees them: contiguous DATA sends and the EOM after them form one message (hex). */
function messagesSent(sent: readonly SentView[]): string[] {
  const out: string[] = [];
  let current = '';
  for (const s of sent) {
    current += s.hex;
    if (s.event === 'EOM') { out.push(current); current = ''; }
  }
  return out;
}

/** At the end of a run, still holding what the reference says is complete: on a live connection that waits until a timeout. */
export function holdWarning(ref: PacketReference, sent: readonly SentView[], protocol: ProtocolView): string | null {
  if (ref.view.status !== 'ok') return null;
  if (ref.messages !== null) {
    const done = messagesSent(sent).length;
    if (done >= ref.messages.length) return null;
    return `The script is still holding data (ctxt:hold) although the reference framing finds ${ref.messages.length} complete ${protocol.unitName}(s) and the script sent ${done}: on a live connection the rest would wait for more bytes.`;
  }
  return `The script is still holding the data (ctxt:hold) although the reference decoder has the complete ${protocol.title} ${ref.view.label} ${protocol.unitName} (${ref.view.length} bytes${protocol.tokenName ? `, ${protocol.tokenName} ${JSON.stringify(ref.view.token)}` : ''}): on a live connection it would wait until a timeout.`;
}

/** A send's bytes as readable text: printable ASCII as is, the rest escaped. */
export function printable(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : b === 0x0a ? '\\n' : b === 0x0d ? '\\r' : `\\x${b.toString(16).padStart(2, '0')}`)).join('');
}
