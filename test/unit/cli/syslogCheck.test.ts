// check and simulate on the syslog protocol: examples/syslog.lua agrees with RFC 6587 framing everywhere; a script that drops a message is caught.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { builtinCheckCases } from '../../../runtime/cli/checkCorpus';
import { runCheck } from '../../../runtime/cli/checkRunner';
import { simulate } from '../../../runtime/cli/simulateCommand';
import { parseServiceFlags } from '../../../runtime/cli/simulateServices';
import { loadExtension } from '../../../runtime/ns/loadExtension';
import { PROTOCOLS } from '../../../runtime/protocols';
import { CAPTURED } from '../../../runtime/protocols/syslog/corpus';
import { pickByToken } from '../../../runtime/lb/tokenHash';

const SYSLOG = PROTOCOLS.syslog;
const load = (path: string) => loadExtension(readFileSync(path, 'utf8'), path);

test('examples/syslog.lua sends exactly the framed messages on every syslog case and every 2-fragment split', { timeout: 60_000 }, async () => {
  const ext = await load('examples/syslog.lua');
  const result = runCheck(ext, builtinCheckCases(SYSLOG));
  ext.dispose();
  assert.deepEqual(result.rows, []);
  assert.equal(result.disagreements, 0);
  assert.ok(result.splitRuns > 4000, `${result.splitRuns} split runs`);
});

test('a script that drops the last message of a delivery disagrees, and the row says which message is missing', async () => {
  const ext = await load('test/fixtures/syslog/drops-last-message.lua');
  const result = runCheck(ext, builtinCheckCases(SYSLOG));
  ext.dispose();
  assert.ok(result.disagreements > 0);
  const row = result.rows.find((r) => r.case === 'logger-rfc5424-lf' && r.whole)!;
  assert.equal(row.expected, '2 messages');
  assert.equal(row.got, '1 message');
  assert.match(row.why, /^message 2 of 2 is never sent: "<13>1 2026/);
});

test('the vendor tutorial logic (LF only) agrees on LF framing and splits octet-counted frames wrongly', async () => {
  const ext = await load('test/fixtures/syslog/vendor-tutorial.lua');
  const result = runCheck(ext, builtinCheckCases(SYSLOG));
  ext.dispose();
  const failing = new Set(result.rows.map((r) => r.case));
  for (const lf of ['logger-rfc5424-lf', 'logger-rfc3164-lf', 'logger-rfc5424-3-byte-writes', 'ten-lines-one-connection', 'partial-last-message', 'long-message-3000']) assert.ok(!failing.has(lf), lf);
  assert.ok(failing.has('logger-rfc5424-octet-count'));
  assert.ok(failing.has('octet-count-multi-line'));
});

test('simulate --protocol syslog: one decision per message, ROUNDROBIN over syslog1..3, the reference lists every message', async () => {
  const ext = await load('examples/syslog.lua');
  const lb = { services: parseServiceFlags([], SYSLOG), method: 'ROUNDROBIN' as const, persistence: 'NONE' as const, placeholders: true };
  const bytes = Buffer.concat([CAPTURED.rfc5424Lf, CAPTURED.rfc3164Lf]);
  const r = simulate(ext, bytes, [bytes], lb, SYSLOG);
  ext.dispose();
  assert.equal(r.outcome, 'send');
  assert.equal(r.sends, 4);
  assert.deepEqual(r.messages.map((m) => [m.event, m.decision.service, m.new_decision]), [['EOM', 'syslog1', true], ['EOM', 'syslog2', true], ['EOM', 'syslog3', true], ['EOM', 'syslog1', true]]);
  assert.deepEqual(r.messages.map((m) => m.bytes), [102, 103, 38, 38]);
  assert.equal(r.check?.agree, true);
  const messages = r.reference.messages as { format: string; fields: Record<string, unknown> }[];
  assert.deepEqual(messages.map((m) => [m.format, m.fields.MSG]), [['RFC 5424, LF', 'first line'], ['RFC 5424, LF', 'second line'], ['RFC 3164, LF', 'bsd one'], ['RFC 3164, LF', 'bsd two']]);
});

test('USER_TOKEN per message: each message is decided on its own user_token (the same token, the same service)', async () => {
  const source = [
    'function client.on_data(ctxt, payload)',
    '  local data = payload.data',
    '  local pos = data:find("\\n", 1, true)',
    '  while pos ~= nil do',
    '    local message, rest = data, nil',
    '    if pos < data:len() then message, rest = data:split(pos) end',
    '    ns.send(ctxt.output, "EOM", {data = message, user_token = message:sub(1, message:find(" ", 1, true) - 1)})',
    '    if rest == nil then return end',
    '    data = rest',
    '    pos = data:find("\\n", 1, true)',
    '  end',
    '  ctxt:hold(data)',
    'end',
  ].join('\n');
  const ext = await loadExtension(source, 'token-per-line.lua');
  const lb = { services: parseServiceFlags([], SYSLOG), method: 'USER_TOKEN' as const, persistence: 'NONE' as const };
  const tokens = ['alpha', 'beta', 'alpha', 'gamma', 'beta', 'delta'];
  const bytes = Buffer.from(tokens.map((t, i) => `${t} line ${i}\n`).join(''));
  const r = simulate(ext, bytes, [bytes], lb, SYSLOG);
  ext.dispose();
  const ids = lb.services.map((s) => s.id);
  assert.deepEqual(r.messages.map((m) => m.decision.service), tokens.map((t) => pickByToken(Buffer.from(t), ids)));
  assert.ok(r.messages.every((m) => m.new_decision && m.decision.chosenBy === 'USER_TOKEN'));
  assert.ok(new Set(r.messages.map((m) => m.decision.service)).size >= 2, 'the tokens spread');
});
