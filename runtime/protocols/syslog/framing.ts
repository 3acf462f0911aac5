// RFC 6587 framing of syslog over TCP: octet counting (`MSG-LEN SP SYSLOG-MSG`) or non-transparent framing (the message ends with LF).
import type { Frame } from '../protocol';
import { SYSLOG_ERRORS } from './constants';

const LF = 0x0a;
const SP = 0x20;
export const isDigit = (b: number): boolean => b >= 0x30 && b <= 0x39;

/** MSG-LEN digits accepted before the SP: 9 digits (up to 999,999,999 octets), more is a broken frame, not a big one. */
export const MAX_OCTET_COUNT_DIGITS = 9;

export type Framing = 'octet-counting' | 'lf';

/** RFC 6587 3.4.1: a frame that starts with a digit is octet-counted; anything else is LF-framed (3.4.2). */
export function framingOf(bytes: Uint8Array): Framing {
  return bytes.length > 0 && isDigit(bytes[0]) ? 'octet-counting' : 'lf';
}

export interface OctetCount {
  /** MSG-LEN. */
  count: number;
  /** Bytes of "MSG-LEN SP". */
  headerLength: number;
}

/** Reads `MSG-LEN SP`; incomplete until the SP arrives. */
export function readOctetCount(bytes: Uint8Array): OctetCount | Extract<Frame, { status: 'incomplete' | 'invalid' }> {
  if (bytes[0] === 0x30) return { status: 'invalid', code: 'octet-count-leading-zero', error: SYSLOG_ERRORS['octet-count-leading-zero'], offset: 0 };
  let at = 0;
  while (at < bytes.length && isDigit(bytes[at])) {
    at++;
    if (at > MAX_OCTET_COUNT_DIGITS) return { status: 'invalid', code: 'octet-count-too-long', error: SYSLOG_ERRORS['octet-count-too-long'], offset: 0 };
  }
  if (at === bytes.length) return { status: 'incomplete', needed: 1 };
  if (bytes[at] !== SP) return { status: 'invalid', code: 'octet-count-no-space', error: SYSLOG_ERRORS['octet-count-no-space'], offset: at };
  return { count: Number(Buffer.from(bytes.subarray(0, at)).toString('latin1')), headerLength: at + 1 };
}

/** Where the first frame of `bytes` ends (framing included: MSG-LEN SP, or the trailing LF). */
export function frameSyslog(bytes: Uint8Array): Frame {
  if (bytes.length === 0) return { status: 'incomplete', needed: 1 };
  if (framingOf(bytes) === 'lf') {
    const lf = bytes.indexOf(LF);
    return lf < 0 ? { status: 'incomplete', needed: null } : { status: 'message', length: lf + 1 };
  }
  const head = readOctetCount(bytes);
  if ('status' in head) return head;
  const length = head.headerLength + head.count;
  return length <= bytes.length ? { status: 'message', length } : { status: 'incomplete', needed: length - bytes.length };
}
