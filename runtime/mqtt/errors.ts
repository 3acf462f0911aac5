// Rejection messages for CONNECT decoding: one per error code, each citing the clause of the spec version being decoded.
import type { ErrorCode, MqttVersion } from './constants';

export interface DecodeError {
  code: ErrorCode;
  /** Starts with the clause in brackets, e.g. "[MQTT-3.1.2-3] ...". */
  message: string;
  /** The offset of the offending byte or field. */
  offset: number;
}

/** Clause per spec: [3.1.1 clause, 5.0 clause]; 3.1 has no numbered clauses and is cited by section. */
const CLAUSES: Record<ErrorCode, readonly [string, string, string?]> = {
  'not-connect': ['MQTT-3.1.0-1', 'MQTT-3.1.0-1'],
  'bad-header-flags': ['MQTT-2.2.2-2', 'MQTT-2.1.3-1'],
  'remaining-length-too-long': ['MQTT 3.1.1 §2.2.3', 'MQTT 5.0 §1.5.5'],
  'packet-too-short': ['MQTT 3.1.1 §3.1.2', 'MQTT 5.0 §3.1.2', 'MQTT 3.1 §3.1'],
  'bad-protocol-name': ['MQTT-3.1.2-1', 'MQTT-3.1.2-1'],
  'bad-protocol-level': ['MQTT-3.1.2-2', 'MQTT-3.1.2-2'],
  'protocol-name-level-mismatch': ['MQTT-3.1.2-1', 'MQTT-3.1.2-1', 'MQTT 3.1 §3.1'],
  'reserved-flag-set': ['MQTT-3.1.2-3', 'MQTT-3.1.2-3'],
  'will-qos-invalid': ['MQTT-3.1.2-14', 'MQTT-3.1.2-12', 'MQTT 3.1 §3.1'],
  'will-qos-without-will': ['MQTT-3.1.2-13', 'MQTT-3.1.2-11', 'MQTT 3.1 §3.1'],
  'will-retain-without-will': ['MQTT-3.1.2-15', 'MQTT-3.1.2-13', 'MQTT 3.1 §3.1'],
  'password-without-username': ['MQTT-3.1.2-22', 'MQTT-3.1.2-22'],
  'property-length-overrun': ['MQTT 5.0 §2.2.2.1', 'MQTT 5.0 §2.2.2.1'],
  'unknown-property': ['MQTT 5.0 §2.2.2.2', 'MQTT 5.0 §2.2.2.2'],
  'property-not-allowed': ['MQTT 5.0 §3.1.2.11', 'MQTT 5.0 §3.1.2.11'],
  'duplicate-property': ['MQTT 5.0 §3.1.2.11', 'MQTT 5.0 §3.1.2.11'],
  'bad-property-value': ['MQTT 5.0 §3.1.2.11', 'MQTT 5.0 §3.1.2.11'],
  'string-overrun': ['MQTT 3.1.1 §1.5.3', 'MQTT 5.0 §1.5.4', 'MQTT 3.1 §2.8'],
  'invalid-utf8': ['MQTT-1.5.3-1', 'MQTT-1.5.4-1', 'MQTT 3.1 §2.8'],
  'empty-client-id': ['MQTT-3.1.3-8', 'MQTT-3.1.3-8', 'MQTT 3.1 §3.1'],
  'trailing-bytes': ['MQTT-3.1.3-1', 'MQTT 5.0 §3.1.3'],
};

/** The clause to cite for `code` in `version` (undefined while the version is not yet known: both are cited). */
export function clauseFor(code: ErrorCode, version: MqttVersion | undefined): string {
  const [v311, v50, v31] = CLAUSES[code];
  if (version === '5.0') return v50;
  if (version === '3.1') return v31 ?? v311;
  if (version === '3.1.1') return v311;
  return v311 === v50 ? v311 : `${v311}; 5.0: ${v50}`;
}

export function makeError(code: ErrorCode, version: MqttVersion | undefined, offset: number, detail: string, clause?: string): DecodeError {
  return { code, offset, message: `[${clause ?? clauseFor(code, version)}] ${detail}` };
}

/** Clauses that say a particular string must be UTF-8, per field: [3.1.1, 5.0]. */
export const UTF8_FIELD_CLAUSES: Record<string, readonly [string, string]> = {
  clientId: ['MQTT-3.1.3-4', 'MQTT-3.1.3-4'],
  'will.topic': ['MQTT-3.1.3-10', 'MQTT-3.1.3-11'],
  username: ['MQTT-3.1.3-11', 'MQTT-3.1.3-12'],
  'protocol.name': ['MQTT-1.5.3-1', 'MQTT-1.5.4-1'],
};

export function utf8Clause(fieldId: string, version: MqttVersion | undefined, reason: 'ill-formed' | 'null-character'): string {
  const general = version === '5.0'
    ? (reason === 'null-character' ? 'MQTT-1.5.4-2' : 'MQTT-1.5.4-1')
    : (reason === 'null-character' ? 'MQTT-1.5.3-2' : 'MQTT-1.5.3-1');
  const specific = UTF8_FIELD_CLAUSES[fieldId];
  if (!specific) return general;
  return `${version === '5.0' ? specific[1] : specific[0]}, ${general}`;
}
