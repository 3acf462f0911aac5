// The syslog encoder round-trips through the reference decoder: every option lands in its field, in both formats and both framings.
import test from 'node:test';
import assert from 'node:assert/strict';
import { decodeSyslog } from '../../../runtime/protocols/syslog/syslogDecoder';
import { encodeSyslog, type SyslogMessageOptions } from '../../../runtime/protocols/syslog/syslogEncoder';

const CASES: [SyslogMessageOptions, Record<string, unknown>][] = [
  [{ msg: 'hi' }, { PRI: 13, VERSION: 1, HOSTNAME: 'host', 'APP-NAME': 'probe', MSG: 'hi', TRAILER: 'LF' }],
  [{ framing: 'octet-counting', facility: 'local7', severity: 'debug', procId: '77', msgId: 'ID1', structuredData: '[a@1 b="c"]', msg: 'x' },
    { PRI: 191, PROCID: '77', MSGID: 'ID1', 'STRUCTURED-DATA': '[a@1 b="c"]', MSG: 'x', 'MSG-LEN': 71 }],
  [{ format: '3164', facility: 'auth', severity: 'crit', procId: '9', msg: 'bsd', timestamp: '2026-03-05T01:02:03Z' },
    { PRI: 34, TIMESTAMP: 'Mar  5 01:02:03', 'APP-NAME': 'probe', PROCID: '9', MSG: 'bsd' }],
  [{ format: '3164', framing: 'octet-counting', msg: 'bsd counted' }, { 'MSG-LEN': 43, MSG: 'bsd counted' }],
];

for (const [options, expected] of CASES) {
  test(`encode then decode: ${JSON.stringify(options)}`, () => {
    const bytes = encodeSyslog(options);
    const r = decodeSyslog(bytes);
    if (r.status !== 'ok') assert.fail(JSON.stringify(r));
    assert.equal(r.length, bytes.length, 'one whole frame');
    const byName = Object.fromEntries(r.fields.map((f) => [f.name, f.value]));
    for (const [field, value] of Object.entries(expected)) assert.equal(byName[field], value, field);
  });
}
