// The CONNECT decoder's result: a discriminated union of incomplete (need more bytes), ok (a packet) and invalid (a rejection).
import type { ConnectPacket } from './connectPacket';
import type { DecodeError } from './errors';
import type { FieldMap } from './fields';

export interface DecodeIncomplete {
  status: 'incomplete';
  /** At least this many more bytes are needed (exact once the remaining length is known). */
  needed: number;
  /** The fields fully received so far. */
  fields: FieldMap;
}

export interface DecodeOk {
  status: 'ok';
  packet: ConnectPacket;
  /** Bytes consumed: fixed header + remaining length. Bytes past it belong to the next packet. */
  length: number;
  fields: FieldMap;
}

export interface DecodeInvalid {
  status: 'invalid';
  error: DecodeError;
  /** The fields decoded before the rejection (the offending one included when it could be read). */
  fields: FieldMap;
}

export type DecodeResult = DecodeIncomplete | DecodeOk | DecodeInvalid;

export interface DecodeOptions {
  /** Build the field map (default true). The load balancer's hot path turns it off. */
  fieldMap?: boolean;
}
