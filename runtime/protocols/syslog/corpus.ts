// The built-in syslog corpus for `protoext-lb check`: deliveries captured from `logger --tcp` and built ones, each expecting the reference framing's messages.
import { messagesOf, type CheckCase } from '../protocol';
import { frameSyslog } from './framing';
import { decodeSyslog } from './syslogDecoder';
import { encodeSyslog, encodeSyslogStream, type SyslogMessageOptions } from './syslogEncoder';

const latin1 = (text: string): Uint8Array => Buffer.from(text, 'latin1');
const TQ = '[timeQuality tzKnown="1" isSynced="0"]';

/**
 * What util-linux 2.38 `logger --tcp -n 127.0.0.1 -P PORT -t probe` sent to a TCP sink on this project's machines
 * (test/fixtures/syslog holds the same bytes as files): one connection each.
 */
export const CAPTURED = {
  /** printf 'first line\nsecond line\n' | logger --tcp ... */
  rfc5424Lf: latin1(`<13>1 2026-12-04T07:12:46.299624+00:00 vm probe - - ${TQ} first line\n<13>1 2026-12-04T07:12:46.299701+00:00 vm probe - - ${TQ} second line\n`),
  /** printf 'bsd one\nbsd two\n' | logger --tcp --rfc3164 ... */
  rfc3164Lf: latin1('<13>Dec  4 07:12:46 vm probe: bsd one\n<13>Dec  4 07:12:46 vm probe: bsd two\n'),
  /** printf 'counted one\ncounted two\n' | logger --tcp --octet-count ...: no trailer, the next count follows at once */
  rfc5424OctetCount: latin1(`102 <13>1 2026-12-04T07:12:46.911463+00:00 vm probe - - ${TQ} counted one102 <13>1 2026-12-04T07:12:46.911515+00:00 vm probe - - ${TQ} counted two`),
  /** logger --tcp --octet-count --rfc3164 -p auth.crit 'bsd counted' */
  rfc3164OctetCount: latin1('41 <34>Dec  4 07:12:47 vm probe: bsd counted'),
  /** logger --tcp -p local3.warning --id=4242 --msgid=TST --sd-id exampleSDID@32473 --sd-param 'iut="3"' --sd-param 'eventSource="App"' ... */
  rfc5424StructuredData: latin1(`<156>1 2026-12-04T07:12:47.215172+00:00 vm probe 4242 TST ${TQ}[exampleSDID@32473 iut="3" eventSource="App"] with structured data\n`),
} as const;

function lines(n: number, o: SyslogMessageOptions = {}): SyslogMessageOptions[] {
  return Array.from({ length: n }, (_, i) => ({ ...o, msg: `line ${i + 1} of ${n}` }));
}

function versionOf(bytes: Uint8Array): string | null {
  const r = decodeSyslog(bytes);
  return r.status === 'ok' ? r.label : null;
}

function delivery(name: string, description: string, bytes: Uint8Array, chunks: number[] | null = null): CheckCase {
  return { name, description, bytes, chunks, version: versionOf(bytes), expect: messagesOf(frameSyslog, bytes) };
}

/** Every case of the built-in corpus: captured first, then built ones (chunked, partial, long, unusual but valid, broken framing). */
export function builtinSyslogCorpus(): CheckCase[] {
  const ten = encodeSyslogStream(lines(10));
  const long = encodeSyslog({ msg: 'x'.repeat(3000) });
  const multiLine = encodeSyslog({ framing: 'octet-counting', msg: 'first\nsecond\nthird' });
  const threeByte = Array.from({ length: Math.ceil(CAPTURED.rfc5424Lf.length / 3) }, () => 3);
  threeByte[threeByte.length - 1] = CAPTURED.rfc5424Lf.length - 3 * (threeByte.length - 1);
  return [
    delivery('logger-rfc5424-lf', 'logger --tcp: two RFC 5424 messages, LF-framed', CAPTURED.rfc5424Lf),
    delivery('logger-rfc3164-lf', 'logger --tcp --rfc3164: two BSD messages, LF-framed', CAPTURED.rfc3164Lf),
    delivery('logger-rfc5424-octet-count', 'logger --tcp --octet-count: two RFC 5424 messages, octet counting (no trailer)', CAPTURED.rfc5424OctetCount),
    delivery('logger-rfc3164-octet-count', 'logger --tcp --octet-count --rfc3164: one BSD message, octet counting', CAPTURED.rfc3164OctetCount),
    delivery('logger-rfc5424-structured-data', 'logger --tcp with PROCID, MSGID and two SD-ELEMENTs', CAPTURED.rfc5424StructuredData),
    delivery('logger-rfc5424-3-byte-writes', 'the logger --tcp capture written 3 bytes at a time', CAPTURED.rfc5424Lf, threeByte),
    delivery('ten-lines-one-connection', 'ten LF-framed messages in one delivery (logger reading 10 lines)', ten),
    delivery('partial-last-message', 'two messages and the first 20 bytes of a third: the third must be held', Buffer.concat([CAPTURED.rfc3164Lf, encodeSyslog({ msg: 'third' }).subarray(0, 20)])),
    delivery('long-message-3000', 'one RFC 5424 message with a 3,000-byte MSG', long),
    delivery('octet-count-multi-line', 'octet counting lets MSG contain LF: one message, not three', multiLine),
    delivery('empty-msg', 'RFC 5424 with every field nil and no MSG', latin1('<13>1 - - - - - -\n')),
    delivery('utf8-bom-msg', 'RFC 5424 MSG starting with a BOM and UTF-8 text', Buffer.concat([latin1('<14>1 - - app - - - '), Buffer.from('\ufeffcapteur é 温度\n', 'utf8')])),
    delivery('octet-count-leading-zero', 'broken framing: MSG-LEN "012": the connection must be reset', latin1('012 <13>1 - - - - - -')),
    delivery('octet-count-no-space', 'broken framing: digits followed by "x", not SP', Buffer.concat([encodeSyslog({ msg: 'fine' }), latin1('12x <13>1 - - - - - -')])),
  ];
}
