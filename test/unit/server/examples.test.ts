// The bundled examples (examples/*.lua) get clean diagnostics, their callback symbol and lenses, and real errors once broken.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CodeLens, DocumentSymbol, Hover, MarkupContent } from 'vscode-languageserver/node';
import { LspSession, positionOf, readRepoFile, REPO_ROOT, uriOf } from './lspSession';

const EXAMPLES = readdirSync(join(REPO_ROOT, 'examples')).filter((f) => f.endsWith('.lua')).sort();

test('language server on the bundled examples', { timeout: 60_000 }, async (t) => {
  const session = await LspSession.start();
  t.after(() => session.stop());

  await t.test('there are bundled examples to check', () => {
    assert.ok(EXAMPLES.includes('mqtt.lua'), 'examples/mqtt.lua');
  });

  for (const file of EXAMPLES) {
    await t.test(`examples/${file}: no errors or warnings, a client.on_data callback with its lenses`, async () => {
      const uri = uriOf(`examples/${file}`);
      const text = readRepoFile(`examples/${file}`);
      const diagnostics = await session.open(uri, text);
      assert.deepEqual(diagnostics.filter((d) => (d.severity ?? 1) <= 2).map((d) => d.message), []);
      const symbols = await session.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
      assert.ok(symbols.some((s) => s.name === 'client.on_data' && s.detail === 'callback'));
      const lenses = await session.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
      assert.deepEqual(lenses.map((l) => l.command?.command), ['protoext.debugConnect', 'protoext.checkScript']);
      const hover = await session.request<Hover>('textDocument/hover', { textDocument: { uri }, position: positionOf(text, 'ns.send(', 4) });
      assert.match((hover.contents as MarkupContent).value, /after an `EOM` the next data gets a new decision/);
    });
  }

  await t.test('examples/mqtt.lua rewritten with Lua 5.3 operators and a dropped local is flagged where it was changed', async () => {
    const uri = uriOf('examples/mqtt.lua') + '?edited';
    const original = readRepoFile('examples/mqtt.lua');
    const text = original
      .replace('msg_type = bit32.rshift(byte, 4)', 'msg_type = byte >> 4')
      .replace('    local packet_end = 0\n', '');
    const diagnostics = await session.open(uri, text);
    const codes = diagnostics.map((d) => `${d.code}@${d.range.start.line}`);
    assert.ok(codes.includes(`protoext.lua53-operator@${positionOf(text, 'byte >> 4').line}`), codes.join(', '));
    assert.ok(codes.includes(`protoext.global-assignment@${positionOf(text, 'packet_end = offset').line}`), codes.join(', '));
  });
});
