// The vendor's syslog tutorial (retold in test/fixtures/syslog/vendor-tutorial.lua) through the language server, the engine and simulate: 2.5 messages, 2 sends, the half held, nothing resent.
import test from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver/node';
import { simulate } from '../../../runtime/cli/simulateCommand';
import { PLACEHOLDER_SERVICES } from '../../../runtime/cli/simulateServices';
import { loadExtension } from '../../../runtime/ns/loadExtension';
import type { ScriptAction } from '../../../runtime/ns/types';
import { LspSession, readRepoFile, uriOf } from './lspSession';

const TUTORIAL = 'test/fixtures/syslog/vendor-tutorial.lua';
const bytes = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'latin1'));
const eoms = (actions: readonly ScriptAction[]): string[] =>
  actions.map((a) => (a.kind === 'send' ? `${a.event}:${Buffer.from(a.data).toString('latin1')}` : a.kind));

// Two whole RFC 5424 messages and half of a third, then the rest of the third.
const FIRST = '<13>1 - host app - - - one\n<13>1 - host app - - - two\n<13>1 - host';
const REST = ' app - - - three\n';

test('the language server reports no error or warning on the tutorial', { timeout: 60_000 }, async (t) => {
  const session = await LspSession.start();
  t.after(() => session.stop());
  const diagnostics: Diagnostic[] = await session.open(uriOf(TUTORIAL), readRepoFile(TUTORIAL));
  assert.deepEqual(diagnostics.filter((d) => (d.severity ?? 1) <= 2).map((d) => `${d.range.start.line + 1}: ${String(d.message)}`), []);
});

test('the engine runs the tutorial unchanged: 2 sends, the half message held, nothing resent when the rest arrives', async () => {
  const ext = await loadExtension(readRepoFile(TUTORIAL), TUTORIAL);
  const conn = ext.openConnection({ client: { ip: '127.0.0.1', port: 40000, localIp: '127.0.0.1', localPort: 514 }, vserver: { name: 'syslog_vs', params: {} } });
  const first = conn.onClientData(bytes(FIRST));
  assert.equal(first.error, null);
  assert.deepEqual(eoms(first.actions), ['EOM:<13>1 - host app - - - one\n', 'EOM:<13>1 - host app - - - two\n']);
  assert.equal(first.held, true);
  assert.equal(conn.heldBytes, '<13>1 - host'.length, 'only the half message is held');
  const second = conn.onClientData(bytes(REST));
  assert.equal(second.error, null);
  assert.deepEqual(eoms(second.actions), ['EOM:<13>1 - host app - - - three\n'], 'the sent messages are not delivered again');
  assert.equal(second.held, false);
  assert.equal(conn.heldBytes, 0);
  conn.dispose();
  ext.dispose();
});

test('simulate reports the same first flight: outcome send, 2 sends, the half message held', async () => {
  const ext = await loadExtension(readRepoFile(TUTORIAL), TUTORIAL);
  const packet = bytes(FIRST);
  const report = simulate(ext, packet, [packet], { services: PLACEHOLDER_SERVICES, method: 'ROUNDROBIN', persistence: 'NONE' });
  ext.dispose();
  assert.equal(report.error, null);
  assert.equal(report.outcome, 'send');
  assert.equal(report.sends, 2);
  assert.equal(report.bytes_sent, FIRST.length - '<13>1 - host'.length);
  assert.equal(report.held_bytes, '<13>1 - host'.length);
  assert.equal(report.decision?.chosenBy, 'ROUNDROBIN');
});
