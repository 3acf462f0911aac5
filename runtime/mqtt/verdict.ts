// The reference decoder's verdict in the flat, JSON-ready shape `protoext-lb simulate/check` and the debugger report.
import type { ErrorCode, MqttVersion } from './constants';
import { decodeConnect } from './connectDecoder';

export interface ReferenceVerdict {
  /** 'ok', 'incomplete' (the bytes stop before the CONNECT does) or 'invalid'. */
  status: 'ok' | 'incomplete' | 'invalid';
  valid: boolean;
  version: MqttVersion | null;
  clientId: string | null;
  clientIdHex: string | null;
  /** Bytes the CONNECT takes (ok only). */
  length: number | null;
  /** More bytes needed at least (incomplete only). */
  needed: number | null;
  /** The message citing the spec clause (invalid only). */
  error: string | null;
  errorCode: ErrorCode | null;
  errorOffset: number | null;
}

/** What the reference decoder says about a client's first flight. */
export function referenceVerdict(bytes: Uint8Array): ReferenceVerdict {
  const r = decodeConnect(bytes, { fieldMap: false });
  const none = { version: null, clientId: null, clientIdHex: null, length: null, needed: null, error: null, errorCode: null, errorOffset: null };
  if (r.status === 'ok') {
    return {
      ...none, status: 'ok', valid: true, version: r.packet.version, clientId: r.packet.clientId,
      clientIdHex: Buffer.from(r.packet.clientIdBytes).toString('hex'), length: r.length,
    };
  }
  if (r.status === 'incomplete') return { ...none, status: 'incomplete', valid: false, needed: r.needed };
  return { ...none, status: 'invalid', valid: false, error: r.error.message, errorCode: r.error.code, errorOffset: r.error.offset };
}
