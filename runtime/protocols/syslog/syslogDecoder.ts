// The reference syslog decoder: the first framed message of some bytes (RFC 6587), read as RFC 5424 or RFC 3164, with a field map.
import type { ProtocolField, Reading } from '../protocol';
import { FACILITIES, HEADER_LIMITS, MAX_PRIVAL, MONTHS, SEVERITIES, SYSLOG_ERRORS, type SyslogErrorCode } from './constants';
import { frameSyslog, framingOf, isDigit, readOctetCount } from './framing';

const SP = 0x20;
const TIMESTAMP_5424 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$/;
const TIMESTAMP_3164 = new RegExp(`^(${MONTHS.join('|')}) [ 0-3]\\d \\d{2}:\\d{2}:\\d{2}$`);

class Rejection {
  constructor(readonly code: SyslogErrorCode, readonly offset: number) {}
}

/** Reads one message body (framing removed) at absolute offsets `start`..`end` of `bytes`, adding fields as it goes. */
class MessageReader {
  readonly fields: ProtocolField[] = [];
  private at: number;

  constructor(private readonly bytes: Uint8Array, start: number, private readonly end: number) {
    this.at = start;
  }

  private text(from: number, to: number): string {
    return Buffer.from(this.bytes.buffer, this.bytes.byteOffset + from, to - from).toString('utf8');
  }

  /** `PRI.facility` and `PRI.severity` are sub-fields of PRI (same bytes): a field map shows them under it. */
  private add(name: string, from: number, to: number, value: ProtocolField['value'] = this.text(from, to)): void {
    const dot = name.indexOf('.');
    this.fields.push({ offset: from, length: to - from, name, value, ...(dot > 0 ? { parent: name.slice(0, dot) } : {}) });
  }

  /** `<PRIVAL>` with facility and severity as sub-fields over the same bytes. */
  pri(): void {
    const start = this.at;
    if (this.bytes[start] !== 0x3c || start >= this.end) throw new Rejection('missing-pri', start);
    let at = start + 1;
    while (at < this.end && isDigit(this.bytes[at]) && at - start <= 3) at++;
    const digits = at - start - 1;
    if (digits === 0 || digits > 3 || this.bytes[at] !== 0x3e || at >= this.end) throw new Rejection('bad-pri', at);
    if (digits > 1 && this.bytes[start + 1] === 0x30) throw new Rejection('pri-leading-zero', start + 1);
    const prival = Number(this.text(start + 1, at));
    if (prival > MAX_PRIVAL) throw new Rejection('pri-out-of-range', start + 1);
    this.at = at + 1;
    this.add('PRI', start, this.at, prival);
    this.add('PRI.facility', start, this.at, FACILITIES[prival >> 3]);
    this.add('PRI.severity', start, this.at, SEVERITIES[prival & 7]);
  }

  /** RFC 5424 when VERSION (1-3 digits, not starting with 0) and SP follow PRI; else RFC 3164. */
  isRfc5424(): boolean {
    let at = this.at;
    while (at < this.end && at - this.at < 3 && isDigit(this.bytes[at])) at++;
    return at > this.at && this.bytes[this.at] !== 0x30 && at < this.end && this.bytes[at] === SP;
  }

  /** The next SP-separated token; `required` tokens must be followed by SP. */
  private token(name: string, required: boolean): [number, number] {
    const start = this.at;
    let at = start;
    while (at < this.end && this.bytes[at] !== SP) at++;
    if (at === start || (required && at >= this.end)) throw new Rejection('header-truncated', at);
    this.at = at < this.end ? at + 1 : at;
    this.add(name, start, at);
    return [start, at];
  }

  private headerField(name: keyof typeof HEADER_LIMITS): void {
    const [from, to] = this.token(name, true);
    for (let i = from; i < to; i++) if (this.bytes[i] < 33 || this.bytes[i] > 126) throw new Rejection('field-not-printable', i);
    if (to - from > HEADER_LIMITS[name]) throw new Rejection('field-too-long', from);
  }

  rfc5424(): void {
    const [vFrom, vTo] = this.token('VERSION', true);
    this.fields[this.fields.length - 1].value = Number(this.text(vFrom, vTo));
    const [tFrom, tTo] = this.token('TIMESTAMP', true);
    const stamp = this.text(tFrom, tTo);
    if (stamp !== '-' && !TIMESTAMP_5424.test(stamp)) throw new Rejection('bad-timestamp', tFrom);
    this.headerField('HOSTNAME');
    this.headerField('APP-NAME');
    this.headerField('PROCID');
    this.headerField('MSGID');
    this.structuredData();
    if (this.at >= this.end) return;
    if (this.bytes[this.at] !== SP) throw new Rejection('no-space-before-msg', this.at);
    this.at++;
    this.add('MSG', this.at, this.end);
  }

  /** "-" or SD-ELEMENTs; a "]" or '"' inside a PARAM-VALUE is escaped with "\". */
  private structuredData(): void {
    const start = this.at;
    if (this.bytes[start] === 0x2d && (start + 1 === this.end || this.bytes[start + 1] === SP)) {
      this.at = start + 1;
      this.add('STRUCTURED-DATA', start, this.at, '-');
      return;
    }
    if (this.bytes[start] !== 0x5b || start >= this.end) throw new Rejection('bad-structured-data', start);
    let at = start;
    while (at < this.end && this.bytes[at] === 0x5b) {
      let quoted = false;
      at++;
      for (;;) {
        if (at >= this.end) throw new Rejection('structured-data-unterminated', at);
        const b = this.bytes[at];
        if (quoted && b === 0x5c) at++;
        else if (b === 0x22) quoted = !quoted;
        else if (b === 0x5d && !quoted) break;
        at++;
      }
      at++;
    }
    this.at = at;
    this.add('STRUCTURED-DATA', start, at);
  }

  /** `Mmm dd hh:mm:ss HOSTNAME TAG[PID]: MSG`; TAG's name is APP-NAME, the bracketed PID is PROCID. */
  rfc3164(): void {
    const start = this.at;
    if (start + 16 > this.end || !TIMESTAMP_3164.test(this.text(start, start + 15)) || this.bytes[start + 15] !== SP) throw new Rejection('bad-3164-timestamp', start);
    this.add('TIMESTAMP', start, start + 15);
    this.at = start + 16;
    this.token('HOSTNAME', false);
    const tag = this.at;
    let at = tag;
    while (at < this.end && ![0x3a, 0x5b, SP].includes(this.bytes[at])) at++;
    if (at > tag) this.add('APP-NAME', tag, at);
    if (this.bytes[at] === 0x5b && at < this.end) {
      const pid = at + 1;
      const close = this.bytes.subarray(pid, this.end).indexOf(0x5d);
      if (close >= 0) {
        this.add('PROCID', pid, pid + close);
        at = pid + close + 1;
      }
    }
    if (this.bytes[at] === 0x3a && at < this.end) at++;
    if (this.bytes[at] === SP && at < this.end) at++;
    this.at = at;
    if (at < this.end) this.add('MSG', at, this.end);
  }
}

/** The body's bounds inside the frame: after `MSG-LEN SP`, or before the trailing LF; with those framing fields. */
function body(bytes: Uint8Array, length: number): { start: number; end: number; framing: ProtocolField[] } {
  if (framingOf(bytes) === 'octet-counting') {
    const head = readOctetCount(bytes);
    if ('status' in head) throw new Error('unreachable: the frame was complete');
    return { start: head.headerLength, end: length, framing: [{ offset: 0, length: head.headerLength, name: 'MSG-LEN', value: head.count }] };
  }
  return { start: 0, end: length - 1, framing: [{ offset: length - 1, length: 1, name: 'TRAILER', value: 'LF' }] };
}

/** The first message of `bytes`: ok (with the frame's length), incomplete, or invalid citing the RFC clause. */
export function decodeSyslog(bytes: Uint8Array): Reading {
  const frame = frameSyslog(bytes);
  if (frame.status === 'incomplete') return { status: 'incomplete', needed: frame.needed, fields: [] };
  if (frame.status === 'invalid') return { status: 'invalid', code: frame.code, error: frame.error, offset: frame.offset, fields: [] };
  const { start, end, framing } = body(bytes, frame.length);
  const reader = new MessageReader(bytes, start, end);
  const fields = (): ProtocolField[] => {
    const all = [...framing, ...reader.fields];
    return all.sort((a, b) => a.offset - b.offset);
  };
  try {
    reader.pri();
    const rfc5424 = reader.isRfc5424();
    if (rfc5424) reader.rfc5424();
    else reader.rfc3164();
    const framed = framing[0].name === 'MSG-LEN' ? 'octet counting' : 'LF';
    return { status: 'ok', length: frame.length, fields: fields(), token: null, label: `RFC ${rfc5424 ? 5424 : 3164}, ${framed}` };
  } catch (err) {
    if (!(err instanceof Rejection)) throw err;
    return { status: 'invalid', code: err.code, error: SYSLOG_ERRORS[err.code], offset: err.offset, fields: fields() };
  }
}

