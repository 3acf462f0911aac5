// A bounded read cursor over one CONNECT: every read either fits, runs past a known limit (invalid) or past the bytes received (incomplete).
import type { ErrorCode, MqttVersion } from './constants';
import type { DecodeResult } from './decodeResult';
import { makeError } from './errors';
import type { Field, FieldMap, FieldValue } from './fields';

/** Thrown to stop decoding with a final result; caught once in decodeConnect. */
export class Halt {
  constructor(readonly result: DecodeResult) {}
}

export class Cursor {
  readonly fields: FieldMap = [];
  version: MqttVersion | undefined;

  constructor(
    readonly bytes: Uint8Array,
    public pos: number,
    /** Packet end: fixed header + remaining length. */
    readonly end: number,
    /** Whether to build the field map; callers skip formatting labels when it is off. */
    readonly mapping: boolean,
  ) {}

  /**
   * Ensures `n` bytes at pos. Past `limit` (the packet end or an enclosing property block) the packet is invalid
   * with `code`; past the bytes received so far it is incomplete.
   */
  need(n: number, code: ErrorCode, what: string, limit: number = this.end): void {
    if (this.pos + n > limit) {
      const where = limit === this.end ? `the remaining length ends at offset ${limit}` : `its enclosing block ends at offset ${limit}`;
      this.fail(code, this.pos, `${what} needs ${n} byte${n === 1 ? '' : 's'} at offset ${this.pos}, but ${where}`);
    }
    if (this.pos + n > this.bytes.length) this.incomplete();
  }

  incomplete(): never {
    throw new Halt({ status: 'incomplete', needed: Math.max(1, this.end - this.bytes.length), fields: this.fields });
  }

  fail(code: ErrorCode, offset: number, detail: string, clause?: string): never {
    throw new Halt({ status: 'invalid', error: makeError(code, this.version, offset, detail, clause), fields: this.fields });
  }

  u8(): number {
    return this.bytes[this.pos++];
  }

  u16(): number {
    const v = (this.bytes[this.pos] << 8) | this.bytes[this.pos + 1];
    this.pos += 2;
    return v;
  }

  u32(): number {
    const b = this.bytes;
    const p = this.pos;
    this.pos += 4;
    return b[p] * 0x1000000 + ((b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]);
  }

  add(id: string, offset: number, length: number, value: FieldValue, label: string, extra?: Partial<Field>): void {
    if (!this.mapping) return;
    const field: Field = { id, offset, length, raw: this.bytes.subarray(offset, offset + length), value, label };
    if (extra) Object.assign(field, extra);
    this.fields.push(field);
  }
}
