// Protocol-level tests of diagnostics and quick fixes: the real server over stdio, on the seed script and examples/broken/*.lua.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CodeAction, Diagnostic } from 'vscode-languageserver/node';
import { LspSession, positionOf, readRepoFile, REPO_ROOT, uriOf } from './lspSession';

const messageOf = (d: Diagnostic): string => (typeof d.message === 'string' ? d.message : d.message.value);

const SEED = 'examples/mqtt-documented.lua';

test('language server diagnostics', { timeout: 60_000 }, async (t) => {
  const session = await LspSession.start();
  t.after(() => session.stop());

  await t.test('answers initialize with incremental sync and its feature providers', () => {
    const caps = session.capabilities.capabilities;
    assert.deepEqual(caps.textDocumentSync, { openClose: true, change: 2 });
    for (const provider of ['hoverProvider', 'completionProvider', 'signatureHelpProvider', 'documentSymbolProvider', 'definitionProvider', 'referencesProvider', 'renameProvider', 'foldingRangeProvider', 'codeActionProvider', 'codeLensProvider'] as const) {
      assert.ok(caps[provider], provider);
    }
  });

  await t.test('the documented mqtt.lua has no errors or warnings', async () => {
    const diagnostics = await session.open(uriOf(SEED), readRepoFile(SEED));
    assert.deepEqual(diagnostics.filter((d) => (d.severity ?? 1) <= 2).map(messageOf), []);
  });

  for (const file of readdirSync(join(REPO_ROOT, 'examples', 'broken')).filter((f) => f.endsWith('.lua')).sort()) {
    await t.test(`examples/broken/${file} reports exactly the codes it expects`, async () => {
      const text = readRepoFile(`examples/broken/${file}`);
      const declared = /^-- expect: (.*)$/m.exec(text)?.[1];
      assert.ok(declared !== undefined, 'the file declares what it expects (a "-- expect: code, ..." line)');
      const expected = declared.split(',').map((s) => s.trim()).filter((s) => s !== '').sort();
      assert.ok(expected.length > 0, 'the expect line names at least one code');
      const diagnostics = await session.open(uriOf(`examples/broken/${file}`), text);
      assert.deepEqual([...new Set(diagnostics.map((d) => String(d.code)))].sort(), expected);
      for (const d of diagnostics) assert.equal(d.source, 'protoext');
    });
  }

  await t.test('5.3 operators are reported at their exact position', async () => {
    const path = 'examples/broken/lua53-operators.lua';
    const text = readRepoFile(path);
    const diagnostics = await session.open(uriOf(path) + '?positions', text);
    const shift = diagnostics.find((d) => messageOf(d).includes('right shift'));
    assert.ok(shift);
    assert.deepEqual(shift.range, { start: positionOf(text, '>>'), end: positionOf(text, '>>', 2) });
    assert.match(messageOf(shift), /not available on the ADC's Lua 5\.2/);
  });

  await t.test('goto rules come with a position and the luaparse reason', async () => {
    const path = 'examples/broken/goto-into-scope.lua';
    const text = readRepoFile(path);
    const [goto] = await session.open(uriOf(path) + '?goto', text);
    assert.equal(goto.range.start.line, positionOf(text, 'goto need_more_data').line);
    assert.match(messageOf(goto), /jumps into the scope of local 'client_id'/);
  });

  await t.test('a global that is a typo of a local offers "change to the local" and "add local" fixes', async () => {
    const path = 'examples/broken/global-typo.lua';
    const uri = uriOf(path) + '?fix';
    const text = readRepoFile(path);
    const diagnostics = await session.open(uri, text);
    const typo = diagnostics.find((d) => d.code === 'protoext.global-assignment') as Diagnostic;
    assert.deepEqual(typo.range.start, positionOf(text, 'ofset ='));
    const actions = await session.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: typo.range, context: { diagnostics: [typo] } });
    const edits = actions.map((a) => ({ title: a.title, newText: a.edit?.changes?.[uri]?.[0]?.newText, preferred: a.isPreferred }));
    assert.deepEqual(edits, [
      { title: "Change to the local 'offset'", newText: 'offset', preferred: true },
      { title: "Add 'local' (declare 'ofset' here)", newText: 'local ', preferred: false },
    ]);
    const unused = diagnostics.find((d) => d.code === 'protoext.unused-local') as Diagnostic;
    assert.equal(unused.severity, 4);
    assert.deepEqual(unused.tags, [1]);
  });

  await t.test('incremental edits update the diagnostics of the new version', async () => {
    const uri = uriOf(SEED) + '?edit';
    const text = readRepoFile(SEED);
    await session.open(uri, text);
    const at = positionOf(text, 'msg_type = bit32.rshift(byte, 4)');
    const broken = await session.change(uri, [{ range: { start: at, end: { line: at.line, character: at.character + 'msg_type = bit32.rshift(byte, 4)'.length } }, text: 'msg_type = byte >> 4' }]);
    assert.deepEqual(broken.map((d) => d.code), ['protoext.lua53-operator']);
    assert.equal(broken[0].range.start.line, at.line);
    const fixed = await session.change(uri, [{ range: { start: at, end: { line: at.line, character: at.character + 'msg_type = byte >> 4'.length } }, text: 'msg_type = bit32.rshift(byte, 4)' }]);
    assert.deepEqual(fixed, []);
  });

  await t.test('use of the data after ctxt:hold points at the use and names the hold line', async () => {
    const path = 'examples/broken/use-after-hold.lua';
    const text = readRepoFile(path);
    const [use] = await session.open(uriOf(path) + '?hold', text);
    assert.deepEqual(use.range.start, positionOf(text, 'data = data', 7));
    assert.match(messageOf(use), new RegExp(`on line ${positionOf(text, 'ctxt:hold(data)').line + 1}`));
  });

  await t.test('after ctxt:hold, assigning the variable is not a use; reading it is, on either side of an assignment', async () => {
    const held = (after: string) => `function client.on_data(ctxt, payload)\n  local data = payload.data\n  ctxt:hold(data)\n  ${after}\nend\n`;
    const codes = async (name: string, after: string) => (await session.open(uriOf(`hold-${name}.lua`), held(after))).map((d) => String(d.code));
    assert.deepEqual(await codes('nil', 'data = nil'), []);
    assert.deepEqual(await codes('reread', 'data = data:sub(2)'), ['protoext.use-after-hold']);
    assert.deepEqual(await codes('read', 'ns.send(ctxt.output, "EOM", {data = data})'), ['protoext.use-after-hold']);
  });
});
