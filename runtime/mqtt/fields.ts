// The field map of a decoded packet: which bytes are which field, their raw bytes, decoded value and a label a UI can show.

/** One byte of a variable byte integer, so a UI can show the arithmetic: value = sum(digit * multiplier). */
export interface VarIntDigit {
  offset: number;
  byte: number;
  /** byte & 0x7f */
  digit: number;
  /** 1, 128, 16384, 2097152 */
  multiplier: number;
  /** byte & 0x80: another byte follows */
  continues: boolean;
}

export type FieldValue = string | number | boolean | Uint8Array | readonly [string, string] | null;

export interface Field {
  /** Stable name such as 'fixed.remainingLength', 'clientId', 'property.receiveMaximum'; repeatable fields repeat their id. */
  id: string;
  offset: number;
  length: number;
  /** A view into the decoded input (no copy): copy it if the input buffer is reused. */
  raw: Uint8Array;
  value: FieldValue;
  label: string;
  /** Set on sub-fields (one connect flag bit, the fixed-header flags nibble): the id of the field owning the same bytes. */
  parent?: string;
  /** For a bit sub-field: the mask of its bits in the owning byte. */
  mask?: number;
  /** For variable byte integers (remaining length, property lengths, varint properties). */
  digits?: VarIntDigit[];
  /** Why this field matters or looks odd (e.g. non-minimal encoding, where a naive parser goes wrong). */
  note?: string;
}

/** Fields in byte order, sub-fields right after the field that owns them. */
export type FieldMap = Field[];

/** The top-level field that owns byte `offset` (sub-fields are skipped), or undefined when no field covers it. */
export function fieldAt(fields: readonly Field[], offset: number): Field | undefined {
  for (const field of fields) {
    if (field.parent === undefined && offset >= field.offset && offset < field.offset + field.length) return field;
  }
  return undefined;
}

/** The sub-fields (e.g. each connect flag bit) of the field with this id. */
export function subFieldsOf(fields: readonly Field[], parentId: string): Field[] {
  return fields.filter((f) => f.parent === parentId);
}

/** The first field with this id, or undefined. */
export function findField(fields: readonly Field[], id: string): Field | undefined {
  return fields.find((f) => f.id === id);
}
