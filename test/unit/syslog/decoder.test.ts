// Table-driven tests of the reference syslog decoder: every field of RFC 5424 and RFC 3164 messages with its bytes, and each rejection with its clause.
import test from 'node:test';
import assert from 'node:assert/strict';
import { decodeSyslog } from '../../../runtime/protocols/syslog/syslogDecoder';
import { SYSLOG_ERRORS } from '../../../runtime/protocols/syslog/constants';
import { CAPTURED } from '../../../runtime/protocols/syslog/corpus';

const bytes = (text: string): Uint8Array => Buffer.from(text, 'latin1');

/** [name, message, label, fields as name: value]. */
const VALID: [string, Uint8Array, string, Record<string, unknown>][] = [
  ['logger RFC 5424, LF', CAPTURED.rfc5424Lf, 'RFC 5424, LF', {
    PRI: 13, 'PRI.facility': 'user', 'PRI.severity': 'notice', VERSION: 1, TIMESTAMP: '2026-12-04T07:12:46.299624+00:00',
    HOSTNAME: 'vm', 'APP-NAME': 'probe', PROCID: '-', MSGID: '-', 'STRUCTURED-DATA': '[timeQuality tzKnown="1" isSynced="0"]', MSG: 'first line', TRAILER: 'LF',
  }],
  ['logger --rfc3164', CAPTURED.rfc3164Lf, 'RFC 3164, LF', { PRI: 13, TIMESTAMP: 'Dec  4 07:12:46', HOSTNAME: 'vm', 'APP-NAME': 'probe', MSG: 'bsd one', TRAILER: 'LF' }],
  ['logger --octet-count', CAPTURED.rfc5424OctetCount, 'RFC 5424, octet counting', { 'MSG-LEN': 102, MSG: 'counted one', HOSTNAME: 'vm' }],
  ['logger --octet-count --rfc3164 -p auth.crit', CAPTURED.rfc3164OctetCount, 'RFC 3164, octet counting', { 'MSG-LEN': 41, PRI: 34, 'PRI.facility': 'auth', 'PRI.severity': 'crit', MSG: 'bsd counted' }],
  ['PROCID, MSGID, two SD-ELEMENTs', CAPTURED.rfc5424StructuredData, 'RFC 5424, LF', {
    'PRI.facility': 'local3', 'PRI.severity': 'warning', PROCID: '4242', MSGID: 'TST',
    'STRUCTURED-DATA': '[timeQuality tzKnown="1" isSynced="0"][exampleSDID@32473 iut="3" eventSource="App"]', MSG: 'with structured data',
  }],
  ['every field nil, no MSG', bytes('<0>1 - - - - - -\n'), 'RFC 5424, LF', { PRI: 0, 'PRI.facility': 'kern', 'PRI.severity': 'emerg', TIMESTAMP: '-', 'STRUCTURED-DATA': '-' }],
  ['escaped ] and " inside a PARAM-VALUE', bytes('<191>1 2026-01-01T00:00:00Z h a p m [x@1 k="a\\]b\\"c]"] msg\n'), 'RFC 5424, LF', { PRI: 191, 'PRI.facility': 'local7', 'STRUCTURED-DATA': '[x@1 k="a\\]b\\"c]"]', MSG: 'msg' }],
  ['3164 TAG with [PID]', bytes('<30>Feb 14 09:01:02 box sshd[811]: Accepted key\n'), 'RFC 3164, LF', { 'APP-NAME': 'sshd', PROCID: '811', MSG: 'Accepted key', 'PRI.facility': 'daemon', 'PRI.severity': 'info' }],
];

for (const [name, input, label, expected] of VALID) {
  test(`decodes ${name}: ${label}, each field's value`, () => {
    const r = decodeSyslog(input);
    if (r.status !== 'ok') assert.fail(`${r.status}: ${JSON.stringify(r)}`);
    assert.equal(r.label, label);
    assert.equal(r.token, null);
    const byName = Object.fromEntries(r.fields.map((f) => [f.name, f.value]));
    for (const [field, value] of Object.entries(expected)) assert.equal(byName[field], value, field);
    if (expected.MSG === undefined && !label.includes('3164')) assert.equal(byName.MSG, undefined);
  });
}

test('each field owns exactly its bytes (offsets into the whole input, framing included)', () => {
  const r = decodeSyslog(CAPTURED.rfc5424OctetCount);
  assert.equal(r.status, 'ok');
  const text = Buffer.from(CAPTURED.rfc5424OctetCount).toString('latin1');
  for (const f of r.fields) {
    const slice = text.slice(f.offset, f.offset + f.length);
    if (f.name === 'MSG-LEN') assert.equal(slice, '102 ');
    else if (f.name.startsWith('PRI')) assert.equal(slice, '<13>');
    else assert.equal(slice, String(f.value), f.name);
  }
  assert.equal(r.status === 'ok' && r.length, 106);
  assert.deepEqual(r.fields.map((f) => f.offset), [...r.fields.map((f) => f.offset)].sort((a, b) => a - b), 'fields in byte order');
});

/** [name, input, code, offset of the rejection]. */
const INVALID: [string, string, keyof typeof SYSLOG_ERRORS, number][] = [
  ['no PRI', 'hello\n', 'missing-pri', 0],
  ['PRI without >', '<13 1 - - - - - -\n', 'bad-pri', 3],
  ['PRI of four digits', '<1234>1 - - - - - -\n', 'bad-pri', 4],
  ['PRI with a leading zero', '<013>1 - - - - - -\n', 'pri-leading-zero', 1],
  ['PRI 192', '<192>1 - - - - - -\n', 'pri-out-of-range', 1],
  ['5424 header cut short', '<13>1 - host app\n', 'header-truncated', 16],
  ['5424 timestamp without T', '<13>1 2026-12-04 07:12:46Z h a - - -\n', 'bad-timestamp', 6],
  ['HOSTNAME with a control byte', '<13>1 - h\x01st a - - -\n', 'field-not-printable', 9],
  ['APP-NAME of 49 bytes', `<13>1 - h ${'a'.repeat(49)} - - -\n`, 'field-too-long', 10],
  ['STRUCTURED-DATA neither - nor [', '<13>1 - h a - - x msg\n', 'bad-structured-data', 16],
  ['SD-ELEMENT without ]', '<13>1 - h a - - [x@1 k="v" msg\n', 'structured-data-unterminated', 30],
  ['no SP before MSG', '<13>1 - h a - - [x@1]msg\n', 'no-space-before-msg', 21],
  ['3164 timestamp with a bad month', '<13>Foo  4 07:12:46 vm probe: x\n', 'bad-3164-timestamp', 4],
  ['octet count with a leading zero', '05 <13>1 - - - - - -', 'octet-count-leading-zero', 0],
  ['octet count followed by x', '12x <13>', 'octet-count-no-space', 2],
  ['octet count of 10 digits', '1234567890 <13>', 'octet-count-too-long', 0],
];

for (const [name, input, code, offset] of INVALID) {
  test(`rejects ${name}: ${code} at ${offset}, citing the RFC`, () => {
    const r = decodeSyslog(bytes(input));
    if (r.status !== 'invalid') assert.fail(`expected invalid, got ${JSON.stringify(r)}`);
    assert.equal(r.code, code);
    assert.equal(r.offset, offset);
    assert.equal(r.error, SYSLOG_ERRORS[code]);
    assert.match(r.error, /^RFC (5424|3164|6587)/);
  });
}

test('incomplete: no LF yet (needed unknown), or an octet count that promises more (needed exact)', () => {
  assert.deepEqual(decodeSyslog(bytes('<13>1 - - - - - - no end yet')), { status: 'incomplete', needed: null, fields: [] });
  assert.deepEqual(decodeSyslog(bytes('20 <13>1')), { status: 'incomplete', needed: 15, fields: [] });
  assert.deepEqual(decodeSyslog(bytes('20')), { status: 'incomplete', needed: 1, fields: [] });
  assert.deepEqual(decodeSyslog(new Uint8Array(0)), { status: 'incomplete', needed: 1, fields: [] });
});
