// Protocol-level tests of completion, hover, signature help, symbols, navigation, rename, folding and code lenses over stdio.
import test from 'node:test';
import assert from 'node:assert/strict';
import type {
  CodeLens, CompletionItem, CompletionList, DocumentSymbol, FoldingRange, Hover, Location, MarkupContent, Range, SignatureHelp, WorkspaceEdit,
} from 'vscode-languageserver/node';
import { LspSession, positionOf, readRepoFile, uriOf } from './lspSession';

const SEED = 'examples/mqtt-documented.lua';

/** A script whose last lines are half typed, as they are while completion runs. */
const TYPING = [
  'local function helper(x) return x end',
  'function client.on_data(ctxt, payload)',
  '  local data = payload.data',
  '  local offset = 1',
  '  ::retry::',
  '  ns.',
  '  ctxt.',
  '  ctxt:',
  '  ctxt.vserver.',
  '  ctxt.client.',
  '  ns.logger:',
  '  payload.',
  '  data:',
  '  payload.data:',
  '  bit32.',
  '  string.',
  '  goto ',
  '  ns.send(ctxt.output, "DATA", {data = data, ',
  '  ',
  'end',
].join('\n');

test('language server features', { timeout: 60_000 }, async (t) => {
  const session = await LspSession.start();
  t.after(() => session.stop());
  const seedUri = uriOf(SEED);
  const seed = readRepoFile(SEED);
  await session.open(seedUri, seed);
  const typingUri = uriOf('test/unit/server/fixtures/typing.lua');
  await session.open(typingUri, TYPING);

  const labelsAfter = async (lineText: string): Promise<string[]> => {
    const at = positionOf(TYPING, lineText, lineText.length);
    const result = await session.request<CompletionItem[] | CompletionList>('textDocument/completion', { textDocument: { uri: typingUri }, position: at });
    return (Array.isArray(result) ? result : result.items).map((i) => i.label);
  };

  await t.test('completes the ns, ctxt, vserver, client, payload and stream members from the catalog', async () => {
    assert.deepEqual((await labelsAfter('  ns.')).sort(), ['logger', 'pipe', 'send']);
    assert.deepEqual((await labelsAfter('  ns.logger:')).sort(), ['alert', 'critical', 'debug', 'emergency', 'error', 'info', 'notice', 'warning']);
    assert.deepEqual((await labelsAfter('  ctxt.')).sort(), ['client', 'input', 'output', 'vserver']);
    assert.deepEqual((await labelsAfter('  ctxt:')).sort(), ['close', 'hold']);
    assert.deepEqual((await labelsAfter('  ctxt.vserver.')).sort(), ['name', 'params']);
    assert.deepEqual((await labelsAfter('  ctxt.client.')).sort(), ['ip', 'local_ip', 'local_port', 'port']);
    assert.deepEqual(await labelsAfter('  payload.'), ['data']);
    assert.deepEqual((await labelsAfter('  data:')).sort(), ['byte', 'find', 'len', 'split', 'sub']);
    assert.deepEqual((await labelsAfter('  payload.data:')).sort(), ['byte', 'find', 'len', 'split', 'sub']);
  });

  await t.test('completes Lua 5.2 std-lib members, without string.dump', async () => {
    const bit32 = await labelsAfter('  bit32.');
    for (const name of ['band', 'bor', 'rshift', 'lshift', 'extract']) assert.ok(bit32.includes(name), name);
    const string = await labelsAfter('  string.');
    assert.ok(string.includes('byte') && string.includes('sub'));
    assert.ok(!string.includes('dump') && !string.includes('pack'));
  });

  await t.test('completes labels after goto, and locals, keywords and snippets elsewhere', async () => {
    assert.deepEqual(await labelsAfter('  goto '), ['retry']);
    assert.deepEqual((await labelsAfter('{data = data, ')).sort(), ['data', 'user_session', 'user_token']);
    const afterSpace = await session.request<CompletionItem[]>('textDocument/completion', {
      textDocument: { uri: typingUri }, position: positionOf(TYPING, 'local offset', 6), context: { triggerKind: 2, triggerCharacter: ' ' },
    });
    assert.deepEqual(afterSpace, [], 'a space only triggers completion after goto');
    const at = positionOf(TYPING, '  ns.\n', 2);
    const items = await session.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri: typingUri }, position: at });
    const labels = items.map((i) => i.label);
    for (const name of ['data', 'offset', 'ctxt', 'payload', 'helper', 'ns', 'bit32', 'local', 'return', 'client.on_data', 'mqtt-connect-parser']) assert.ok(labels.includes(name), name);
    assert.ok(!labels.includes('print'), 'forbidden globals are not offered');
    assert.equal(items.find((i) => i.label === 'data')?.detail, 'local data: ns.tcp.stream');
  });

  const hoverAt = async (needle: string, delta: number): Promise<string> => {
    const hover = await session.request<Hover | null>('textDocument/hover', { textDocument: { uri: seedUri }, position: positionOf(seed, needle, delta) });
    return hover ? (hover.contents as MarkupContent).value : '';
  };

  await t.test('hover shows the catalog docs, std-lib docs and inferred local types', async () => {
    assert.match(await hoverAt('ns.send(', 4), /ns\.send\(dest: ns\.processing_context, event: string, options\?: ns\.send_options\)[\s\S]*load-balancing decision/);
    assert.match(await hoverAt('ctxt:hold', 6), /Keeps exactly that stream in the context/);
    assert.match(await hoverAt('bit32.rshift', 8), /bit32\.rshift\(x, disp\)[\s\S]*Lua 5\.2 standard library/);
    assert.match(await hoverAt('data:len()', 6), /stream:len[\s\S]*number of bytes/);
    assert.match(await hoverAt('local data_len', 7), /\(local\) data_len: integer/);
    assert.match(await hoverAt('(ctxt, payload)', 1), /\(parameter\) ctxt: ns\.tcp\.client_context/);
    assert.match(await hoverAt('::need_more_data::', 4), /the target of 5 gotos/);
    assert.match(await hoverAt('goto parse_done', 7), /::parse_done::[\s\S]*the target of 1 goto\./);
  });

  const signatureAt = async (uri: string, text: string, needle: string, delta: number): Promise<SignatureHelp | null> =>
    session.request<SignatureHelp | null>('textDocument/signatureHelp', { textDocument: { uri }, position: positionOf(text, needle, delta) });

  await t.test('signature help for ns.send, ctxt:hold, stream methods and the std-lib', async () => {
    const send = await signatureAt(seedUri, seed, 'ns.send(ctxt.output, "DATA"', 'ns.send(ctxt.output, '.length);
    assert.ok(send);
    assert.match(send.signatures[0].label, /^ns\.send\(/);
    assert.equal(send.activeParameter, 1);
    const options = await signatureAt(seedUri, seed, 'user_token = clientID', 0);
    assert.equal(options?.activeParameter, 2, 'commas inside the options table do not count');
    assert.match((await signatureAt(seedUri, seed, 'ctxt:hold(data)', 10))?.signatures[0].label ?? '', /^ctxt:hold\(data: ns\.tcp\.stream\)/);
    const sub = await signatureAt(seedUri, seed, 'data:sub(offset, ', 'data:sub(offset, '.length);
    assert.equal(sub?.activeParameter, 1);
    assert.match(sub?.signatures[0].label ?? '', /^stream:sub\(/);
    const rshift = await signatureAt(seedUri, seed, 'bit32.rshift(byte, 4)', 'bit32.rshift(byte, '.length);
    assert.equal(rshift?.signatures[0].label, 'bit32.rshift(x, disp)');
    assert.deepEqual(rshift?.signatures[0].parameters?.[1].label, [16, 20]);
  });

  await t.test('document symbols list the callback with its labels', async () => {
    const symbols = await session.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: seedUri } });
    assert.equal(symbols.length, 1);
    assert.equal(symbols[0].name, 'client.on_data');
    assert.equal(symbols[0].detail, 'callback');
    assert.deepEqual(symbols[0].children?.map((c) => c.name), ['::need_more_data::', '::parse_done::']);
    const typing = await session.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: typingUri } });
    assert.deepEqual(typing.map((s) => s.name), ['helper', 'client.on_data']);
  });

  await t.test('definition and references of a local and of a label', async () => {
    const use = positionOf(seed, 'clientID = data:sub', 1);
    const definition = await session.request<Location>('textDocument/definition', { textDocument: { uri: seedUri }, position: use });
    assert.deepEqual(definition.range.start, positionOf(seed, 'local clientID', 6));
    const refs = await session.request<Location[]>('textDocument/references', { textDocument: { uri: seedUri }, position: use, context: { includeDeclaration: true } });
    assert.equal(refs.length, 4, 'declaration, assignment, user_token, user_session');
    const gotoUse = positionOf(seed, 'goto parse_done', 6);
    const label = await session.request<Location>('textDocument/definition', { textDocument: { uri: seedUri }, position: gotoUse });
    assert.deepEqual(label.range.start, positionOf(seed, '::parse_done::', 2));
    const gotoRefs = await session.request<Location[]>('textDocument/references', { textDocument: { uri: seedUri }, position: positionOf(seed, '::need_more_data::', 2), context: { includeDeclaration: false } });
    assert.equal(gotoRefs.length, 5);
  });

  await t.test('rename of a local rewrites every use and refuses globals', async () => {
    const at = positionOf(seed, 'local offset', 6);
    const range = await session.request<Range | null>('textDocument/prepareRename', { textDocument: { uri: seedUri }, position: at });
    assert.deepEqual(range?.start, at);
    const edit = await session.request<WorkspaceEdit>('textDocument/rename', { textDocument: { uri: seedUri }, position: at, newName: 'pos' });
    const edits = edit.changes?.[seedUri] ?? [];
    assert.equal(edits.length, seed.match(/\boffset\b/g)?.length);
    assert.ok(edits.every((e) => e.newText === 'pos'));
    await assert.rejects(session.request('textDocument/rename', { textDocument: { uri: seedUri }, position: positionOf(seed, 'ns.send', 1), newName: 'x' }), /Only locals/);
    await assert.rejects(session.request('textDocument/rename', { textDocument: { uri: seedUri }, position: at, newName: 'end' }), /not a valid Lua name/);
  });

  await t.test('folding ranges cover the function, blocks and the comment block', async () => {
    const ranges = await session.request<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri: seedUri } });
    const fn = positionOf(seed, 'function client.on_data').line;
    assert.ok(ranges.some((r) => r.startLine === fn && r.endLine === seed.trimEnd().split('\n').length - 2), 'the callback folds up to its end');
    assert.ok(ranges.some((r) => r.kind === 'comment' && r.startLine === positionOf(seed, '--[[').line));
    assert.ok(ranges.some((r) => r.startLine === positionOf(seed, 'repeat').line));
  });

  await t.test('code lenses above client.on_data reference the client commands with the document URI', async () => {
    const lenses = await session.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: seedUri } });
    assert.deepEqual(lenses.map((l) => [l.command?.title, l.command?.command, l.command?.arguments]), [
      ['Debug CONNECT parsing', 'protoext.debugConnect', [seedUri]],
      ['Check against MQTT corpus', 'protoext.checkScript', [seedUri]],
    ]);
    assert.equal(lenses[0].range.start.line, positionOf(seed, 'function client.on_data').line);
  });
});
