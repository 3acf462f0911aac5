// Builds the CONNECT Inspector's state at a stop: the bytes with the reference decoder's field map, what the script read, and the decision.
import { decodeConnect, type Field, type FieldValue } from '../mqtt';
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
  /** The bytes on_data sees in this delivery (held + new). */
  bytes: number[];
  reads: number[];
  lastRead: number | null;
  fields: InspectorField[];
  reference: ReferenceView;
  script: { clientId: string | null; clientIdHex: string | null; from: 'user_token' | 'local clientID' | null };
  /** Set when the script's ClientID and the reference decoder's differ (or the script holds a complete CONNECT). */
  warning: string | null;
  decision: DebugDecision | null;
  /** ns.send ran but the decision is the LB's to make and report (attach): it shows once the LB applied the result. */
  decisionPending: boolean;
  exception: string | null;
}

export interface InspectorField {
  id: string;
  offset: number;
  length: number;
  label: string;
  value: string;
  parent?: string;
  note?: string;
  digits?: { offset: number; byte: number; digit: number; multiplier: number; continues: boolean }[];
}

export interface ReferenceView {
  status: 'ok' | 'incomplete' | 'invalid';
  version: string | null;
  clientId: string | null;
  clientIdHex: string | null;
  error: string | null;
  /** Bytes of the CONNECT (fixed header + remaining length) when complete. */
  length: number | null;
}

function showValue(v: FieldValue): string {
  if (v === null) return '';
  if (v instanceof Uint8Array) return Buffer.from(v).toString('hex');
  if (Array.isArray(v)) return `${v[0]} = ${v[1]}`;
  return String(v);
}

function fieldView(f: Field): InspectorField {
  return {
    id: f.id, offset: f.offset, length: f.length, label: f.label, value: showValue(f.value),
    ...(f.parent !== undefined ? { parent: f.parent } : {}),
    ...(f.note !== undefined ? { note: f.note } : {}),
    ...(f.digits ? { digits: f.digits.map((d) => ({ ...d })) } : {}),
  };
}

/** What a protocol's decoder says about the bytes: its verdict, its field map, and the key it would extract (the ClientID for MQTT). */
export interface PacketReference { view: ReferenceView; fields: InspectorField[]; clientIdBytes: Uint8Array | null }
export type FieldMap = (bytes: Uint8Array) => PacketReference;

/** The MQTT CONNECT field map (runtime/mqtt's reference decoder). */
export function referenceOf(bytes: Uint8Array): PacketReference {
  const r = decodeConnect(bytes);
  const fields = r.fields.map(fieldView);
  if (r.status === 'ok') {
    const id = r.packet.clientIdBytes;
    return {
      view: { status: 'ok', version: r.packet.version, clientId: r.packet.clientId, clientIdHex: Buffer.from(id).toString('hex'), error: null, length: r.length },
      fields, clientIdBytes: id,
    };
  }
  const error = r.status === 'invalid' ? r.error.message : `incomplete: at least ${r.needed} more byte(s) needed`;
  return { view: { status: r.status, version: null, clientId: null, clientIdHex: null, error, length: null }, fields, clientIdBytes: null };
}

export interface ScriptView {
  token: Uint8Array | null;
  from: InspectorState['script']['from'];
}

export function buildInspectorState(program: string, stop: StopInfo, deliveries: number, script: ScriptView, decision: DecisionStatus, fieldMap: FieldMap): InspectorState {
  const ref = fieldMap(stop.data);
  return {
    program, line: stop.line, reason: stop.reason, delivery: stop.delivery, deliveries,
    bytes: Array.from(stop.data), reads: stop.reads, lastRead: stop.lastRead,
    fields: ref.fields, reference: ref.view,
    script: {
      clientId: script.token ? Buffer.from(script.token).toString('utf8') : null,
      clientIdHex: script.token ? Buffer.from(script.token).toString('hex') : null,
      from: script.token ? script.from : null,
    },
    warning: compare(script, ref.clientIdBytes, ref.view),
    decision: decision.kind === 'made' ? decision.decision : null,
    decisionPending: decision.kind === 'pending',
    exception: stop.exception,
  };
}

/** The warning the inspector shows in bold: the script's ClientID is not the one the packet carries. */
export function compare(script: ScriptView, reference: Uint8Array | null, view: ReferenceView): string | null {
  if (script.token === null || script.from === null) return null;
  if (reference === null) return view.status === 'invalid' ? `The script extracted a ClientID from a packet the reference decoder rejects: ${view.error}` : null;
  if (Buffer.compare(Buffer.from(script.token), Buffer.from(reference)) === 0) return null;
  const shown = (b: Uint8Array) => JSON.stringify(Buffer.from(b).toString('utf8'));
  return `ClientID mismatch: the script extracted ${shown(script.token)} (${script.from}) but the packet's ClientID is ${shown(reference)} (MQTT ${view.version}).`;
}

/** The v5 failure of the documented script: it holds forever although the whole CONNECT is there. */
export function holdWarning(reference: ReferenceView): string | null {
  if (reference.status !== 'ok') return null;
  return `The script is still holding the data (ctxt:hold) although the reference decoder has the complete MQTT ${reference.version} CONNECT (${reference.length} bytes, ClientID ${JSON.stringify(reference.clientId)}): on a live connection it would wait until a timeout.`;
}
