// Syslog over TCP behind the protocol interface: RFC 5424/3164 messages in RFC 6587 framing; one decision per message.
import { messagesOf, type Protocol, type ReferenceJson } from '../protocol';
import { builtinSyslogCorpus } from './corpus';
import { frameSyslog } from './framing';
import { decodeSyslog } from './syslogDecoder';
import { syslogPresets } from './presets';
import { encodeSyslog, encodeSyslogStream, type SyslogMessageOptions } from './syslogEncoder';

/** simulate's `reference`: every message the framing cuts, with its fields, and what is left over. */
function verdict(bytes: Uint8Array): ReferenceJson {
  const messages: { offset: number; length: number; format: string | null; error: string | null; fields: Record<string, unknown> }[] = [];
  let at = 0;
  for (;;) {
    const f = frameSyslog(bytes.subarray(at));
    if (at >= bytes.length || f.status === 'incomplete') {
      return { valid: messages.every((m) => m.error === null), messages, heldBytes: bytes.length - at, error: null, errorCode: null, errorOffset: null };
    }
    if (f.status === 'invalid') return { valid: false, messages, heldBytes: 0, error: f.error, errorCode: f.code, errorOffset: at + f.offset };
    const r = decodeSyslog(bytes.subarray(at, at + f.length));
    const fields = Object.fromEntries(r.fields.map((field) => [field.name, field.value]));
    messages.push({ offset: at, length: f.length, format: r.status === 'ok' ? r.label : null, error: r.status === 'invalid' ? r.error : null, fields });
    at += f.length;
  }
}

export const SYSLOG: Protocol = {
  name: 'syslog',
  title: 'syslog',
  balancing: 'message',
  decode: decodeSyslog,
  frame: frameSyslog,
  tokenName: null,
  unitName: 'message',
  presets: syslogPresets,
  encode: (options) => (Array.isArray(options.messages) ? encodeSyslogStream(options.messages as SyslogMessageOptions[]) : encodeSyslog(options as SyslogMessageOptions)),
  corpus: builtinSyslogCorpus,
  expectation: (bytes) => messagesOf(frameSyslog, bytes),
  versionOf: (bytes) => {
    const r = decodeSyslog(bytes);
    return r.status === 'ok' ? r.label : null;
  },
  verdict,
  defaults: {
    extension: 'syslog.lua',
    listen: { host: '127.0.0.1', port: 1514 },
    vserverName: 'syslog_vs',
    lbVserverName: 'syslog_lb',
    lbMethod: 'ROUNDROBIN',
    persistence: 'NONE',
    backendKinds: ['auto', 'rsyslog', 'sink'],
    serviceName: (i) => `syslog${i}`,
  },
  tryIt: (host, port) => [
    `printf 'one\\ntwo\\nthree\\n' | logger --tcp -n ${host} -P ${port} -t demo   # three messages on one connection, one decision each`,
    `logger --tcp --octet-count -n ${host} -P ${port} -t demo 'octet-counted'   # RFC 6587 octet counting`,
    `logger --tcp --rfc3164 -n ${host} -P ${port} -t demo 'BSD format'`,
  ],
  exportHints: {
    netscalerProtocol: 'SYSLOG_TCP',
    haproxy: { unsupported: 'HAProxy balances TCP connections, not the messages inside them: with "mode tcp" every message of a connection goes to one server, and log load balancing over TCP servers needs HAProxy 2.9 log backends (Debian\'s 2.6 has none). Use the NetScaler export, or balance whole connections with --protocol raw.' },
  },
};
