// Builds syslog test traffic: RFC 5424 or RFC 3164 messages in RFC 6587 framing (LF trailer or octet counting), as `logger --tcp` sends them.
import { FACILITIES, MONTHS, SEVERITIES, type Facility, type Severity } from './constants';

export interface SyslogMessageOptions {
  format?: '5424' | '3164';
  framing?: 'lf' | 'octet-counting';
  facility?: Facility;
  severity?: Severity;
  /** ISO 8601 for 5424 (default a fixed instant, so test traffic is reproducible); 3164 derives "Mmm dd hh:mm:ss" from it. */
  timestamp?: string;
  hostname?: string;
  appName?: string;
  procId?: string;
  msgId?: string;
  /** Whole SD-ELEMENTs, e.g. '[exampleSDID@32473 iut="3"]'; '-' for none. */
  structuredData?: string;
  msg?: string;
}

const DEFAULT_TIME = '2026-12-04T07:12:46.299624+00:00';

function bsdTimestamp(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** The message without framing. */
export function syslogMessage(o: SyslogMessageOptions = {}): string {
  const pri = FACILITIES.indexOf(o.facility ?? 'user') * 8 + SEVERITIES.indexOf(o.severity ?? 'notice');
  const time = o.timestamp ?? DEFAULT_TIME;
  const host = o.hostname ?? 'host';
  const app = o.appName ?? 'probe';
  if (o.format === '3164') return `<${pri}>${bsdTimestamp(time)} ${host} ${app}${o.procId ? `[${o.procId}]` : ''}: ${o.msg ?? ''}`;
  const msg = o.msg === undefined ? '' : ` ${o.msg}`;
  return `<${pri}>1 ${time} ${host} ${app} ${o.procId ?? '-'} ${o.msgId ?? '-'} ${o.structuredData ?? '-'}${msg}`;
}

/** One framed message. */
export function encodeSyslog(o: SyslogMessageOptions = {}): Uint8Array {
  const message = Buffer.from(syslogMessage(o), 'utf8');
  if (o.framing === 'octet-counting') return Buffer.concat([Buffer.from(`${message.length} `, 'latin1'), message]);
  return Buffer.concat([message, Buffer.from('\n')]);
}

/** Several framed messages on one connection, as one delivery. */
export function encodeSyslogStream(messages: readonly SyslogMessageOptions[]): Uint8Array {
  return Buffer.concat(messages.map((m) => encodeSyslog(m)));
}
