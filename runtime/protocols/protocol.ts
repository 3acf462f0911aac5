// The one protocol interface: everything the CLI, debugger and client ask of a protocol (reference decoder, framing, encoder, corpus, defaults, backends, export hints).
import type { LbMethod, PersistenceType } from '../lb/types';

export type ProtocolName = 'mqtt' | 'syslog' | 'raw';

/** One field of a decoded packet or message: which bytes, what they mean. */
export interface ProtocolField {
  offset: number;
  length: number;
  /** Stable name such as 'clientId', 'pri.facility', 'hostname'. */
  name: string;
  value: string | number | boolean | null;
  /** What a UI shows for it (default: the name). */
  label?: string;
  /** Set on sub-fields over the same bytes (one flag bit, PRI's facility): the name of the owning field. */
  parent?: string;
  /** Why the field matters or looks odd. */
  note?: string;
  /** A variable byte integer's digits, so a UI can show the arithmetic: value = sum(digit * multiplier). */
  digits?: { offset: number; byte: number; digit: number; multiplier: number; continues: boolean }[];
}

/** What the reference decoder reads at the front of some bytes: a first flight's packet, or one message. */
export type Reading =
  | { status: 'ok'; /** bytes it takes */ length: number; fields: ProtocolField[]; /** the user_token the reference expects (null: the protocol has none) */ token: Uint8Array | null; /** version or format, e.g. '3.1.1', 'RFC 5424' */ label: string }
  | { status: 'incomplete'; /** more bytes needed at least (null: unknown, e.g. until the next LF) */ needed: number | null; fields: ProtocolField[] }
  | { status: 'invalid'; code: string; /** the rejection, citing the spec clause */ error: string; offset: number | null; fields: ProtocolField[] };

/** Where the next message of a message-based protocol ends. */
export type Frame =
  | { status: 'message'; /** bytes of the whole frame, framing included */ length: number }
  | { status: 'incomplete'; needed: number | null }
  | { status: 'invalid'; code: string; error: string; offset: number };

/**
 * What a script must do with some bytes to agree with the reference. `token`: a connection protocol's valid first
 * flight, sent with user_token = the reference's token. `reject`: malformed, reset or closed. `hold`: incomplete, held.
 * `messages`: a message protocol's deliveries, sent as exactly these messages (each ending with EOM), the rest held;
 * `invalid` after them: the framing broke there, so the script must reset.
 */
export type CheckExpectation =
  | { kind: 'token'; version: string; clientId: string; clientIdHex: string; /** why a script may get it wrong (shown with a disagreement) */ hint?: string }
  | { kind: 'reject'; code: string; message: string | null }
  | { kind: 'hold'; needed: number | null }
  | { kind: 'messages'; messages: string[]; heldBytes: number; invalid: { code: string; message: string } | null };

/** simulate's `reference`: `valid` and `error` for every protocol (null when there is no decoder), then the protocol's own fields. */
export interface ReferenceJson {
  valid: boolean | null;
  error: string | null;
  [field: string]: unknown;
}

/** One case of a protocol's built-in corpus for `check`. */
export interface CheckCase {
  name: string;
  description: string;
  bytes: Uint8Array;
  /** Sizes of the deliveries of the whole-case run (null: one delivery). */
  chunks: number[] | null;
  /** Version or format for the table (null: unknown). */
  version: string | null;
  expect: CheckExpectation;
}

/** A named piece of test traffic built by the encoder (debug presets, "send test traffic"). */
export interface TrafficPreset {
  name: string;
  /** What a pick list shows, e.g. 'MQTT 5.0 with properties', '2.5 messages in one delivery'. */
  label: string;
  description: string;
  bytes: Uint8Array;
  /** Sizes of successive deliveries (the debugger's `chunks`); absent: one delivery. */
  chunks?: number[];
}

/** Defaults that follow the protocol when protoext.json or the flags do not say. */
export interface ProtocolDefaults {
  /** The bundled sample under examples/. */
  extension: string;
  listen: { host: string; port: number };
  vserverName: string;
  lbVserverName: string;
  lbMethod: LbMethod;
  persistence: PersistenceType;
  /** Embedded backend kinds, 'auto' first; the kind names the backend program or the in-process stand-in. */
  backendKinds: readonly string[];
  /** Service name of the i-th embedded backend (1-based), e.g. broker1 or syslog1. */
  serviceName(index: number): string;
}

/** What `export` needs to know of the protocol. */
export interface ExportHints {
  /** `add user protocol <NAME>`. */
  netscalerProtocol: string;
  /**
   * HAProxy: comment lines on top, frontend lines after bind, the backend's USER_TOKEN balance (null: HAProxy cannot
   * compute the token, so only ROUNDROBIN/LEASTCONNECTION export) and what USERSESSION sticks on; or why HAProxy
   * cannot express the protocol's balancing at all.
   */
  haproxy: { header: string[]; frontend: string[]; tokenBalance: string[] | null; stickOn: string | null } | { unsupported: string };
}

export interface Protocol {
  readonly name: ProtocolName;
  readonly title: string;
  /** `connection`: one decision per connection from its first flight (MQTT); `message`: one decision per message (syslog). */
  readonly balancing: 'connection' | 'message';
  /** The reference decoder of the first flight (connection) or of the first message (message); null: none (raw). */
  readonly decode: ((bytes: Uint8Array) => Reading) | null;
  /** Message framing (message protocols only). */
  readonly frame: ((bytes: Uint8Array) => Frame) | null;
  /** What the reference calls the user_token it extracts (MQTT: 'ClientID'); null: the protocol has no token. */
  readonly tokenName: string | null;
  /** What one unit of traffic is called: 'CONNECT', 'message', 'first flight'. */
  readonly unitName: string;
  /** Test traffic built by the encoder; the first is the debugger's default. */
  presets(): TrafficPreset[];
  /**
   * The encoder behind a launch configuration's `{ "<protocol>": { ...options } }` packet (MQTT: CONNECT fields;
   * syslog: one message's fields or `messages: [...]`); null: the protocol has no encoder (raw).
   */
  readonly encode: ((options: Record<string, unknown>) => Uint8Array) | null;
  /** The built-in corpus `check` runs (whole cases; the runner adds every 2-fragment split). */
  corpus(): CheckCase[];
  /** What the reference expects of a script given these bytes (simulate's `check`, corpus files); null: nothing to compare (raw). */
  expectation(bytes: Uint8Array): CheckExpectation | null;
  /** The version/format the table shows for these bytes (null: unknown). */
  versionOf(bytes: Uint8Array): string | null;
  /** The reference's verdict in the JSON shape `simulate` prints as `reference`. */
  verdict(bytes: Uint8Array): ReferenceJson;
  readonly defaults: ProtocolDefaults;
  readonly exportHints: ExportHints;
  /** Commands a user can paste to send test traffic through the LB listening at host:port. */
  tryIt(host: string, port: number, lb: { method: LbMethod; serviceIds: readonly string[]; versions: readonly string[] }): string[];
}

/** Every split of `bytes` into two non-empty fragments, as views (no copies): len-1 pairs. */
export function* twoFragmentSplits(bytes: Uint8Array): Generator<[Uint8Array, Uint8Array]> {
  for (let cut = 1; cut < bytes.length; cut++) yield [bytes.subarray(0, cut), bytes.subarray(cut)];
}

/**
 * The messages a message protocol's framing cuts from `bytes`, in order, plus what is left: the expectation of
 * `check` for a delivery, and the oracle tests hold a real server's log against.
 */
export function messagesOf(frame: (bytes: Uint8Array) => Frame, bytes: Uint8Array): Extract<CheckExpectation, { kind: 'messages' }> {
  const messages: string[] = [];
  let at = 0;
  while (at < bytes.length) {
    const f = frame(bytes.subarray(at));
    if (f.status === 'incomplete') break;
    if (f.status === 'invalid') return { kind: 'messages', messages, heldBytes: 0, invalid: { code: f.code, message: f.error } };
    messages.push(Buffer.from(bytes.buffer, bytes.byteOffset + at, f.length).toString('hex'));
    at += f.length;
  }
  return { kind: 'messages', messages, heldBytes: bytes.length - at, invalid: null };
}
