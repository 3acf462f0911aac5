// Syslog test traffic for the debugger and "Send Test Traffic": the deliveries that exercise a message splitter (framing, holds, formats).
import type { TrafficPreset } from '../protocol';
import { encodeSyslog, encodeSyslogStream } from './syslogEncoder';

/** Two whole RFC 5424 messages and the first half of a third: the script sends two and holds the rest. */
function twoAndAHalf(): Uint8Array {
  const whole = encodeSyslogStream([{ msg: 'first message' }, { msg: 'second message' }]);
  const third = encodeSyslog({ msg: 'third message' });
  return Buffer.concat([whole, third.subarray(0, Math.floor(third.length / 2))]);
}

export function syslogPresets(): TrafficPreset[] {
  const split = encodeSyslog({ msg: 'one message in two deliveries' });
  const cut = Math.floor(split.length / 2);
  return [
    { name: 'rfc5424-two-and-a-half', label: '2.5 messages in one delivery', description: 'two RFC 5424 messages (LF-framed) and half a third: two sends, then ctxt:hold', bytes: twoAndAHalf() },
    { name: 'rfc5424-split', label: 'A message split across deliveries', description: `one RFC 5424 message in two TCP segments (${cut} + ${split.length - cut} bytes): hold, then send`, bytes: split, chunks: [cut] },
    {
      name: 'rfc5424-octet-counting', label: 'Octet-counted frames', description: 'two RFC 5424 messages with RFC 6587 octet counting (logger --tcp --octet-count)',
      bytes: encodeSyslogStream([{ framing: 'octet-counting', msg: 'one' }, { framing: 'octet-counting', msg: 'two' }]),
    },
    { name: 'rfc3164-lf', label: 'An RFC 3164 line', description: 'one BSD message, LF-framed (logger --tcp --rfc3164)', bytes: encodeSyslog({ format: '3164', msg: 'bsd message' }) },
  ];
}
