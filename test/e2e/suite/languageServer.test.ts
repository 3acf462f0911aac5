// e2e: the language server inside the real VS Code: Problems-view diagnostics on a broken script, completion after `ns.`, hover on `ns.pipe`.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { StudioTestApi } from '../../../client/testApi';
import { report } from './harness';

const BROKEN = [
  'function client.on_data(ctxt, payload)',
  '    local data = payload.data',
  '    ns.send(ctxt.output, "Data", {data = data})',
  '    ofset = 3',
  '    ns.pipe(ctxt.input, ctxt.output)',
  'end',
  '',
].join('\n');

const GOOD = [
  'function client.on_data(ctxt, payload)',
  '    ns.',
  '    ns.pipe(ctxt.input, ctxt.output)',
  'end',
  '',
].join('\n');

async function writeAndOpen(name: string, text: string): Promise<vscode.TextDocument> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder');
  const uri = vscode.Uri.joinPath(folder.uri, name);
  await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc);
  return doc;
}

/** Resolves with the document's protoext diagnostics once they contain every wanted code (real signal: onDidChangeDiagnostics). */
function diagnosticsWith(uri: vscode.Uri, codes: string[], timeoutMs = 30_000): Promise<vscode.Diagnostic[]> {
  const codeOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code));
  const ready = () => {
    const ours = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'protoext');
    return codes.every((c) => ours.some((d) => codeOf(d) === c)) ? ours : undefined;
  };
  return new Promise((resolve, reject) => {
    const now = ready();
    if (now) return resolve(now);
    const timer = setTimeout(() => {
      sub.dispose();
      const seen = vscode.languages.getDiagnostics(uri).map((d) => `${codeOf(d)}: ${d.message}`);
      reject(new Error(`timed out waiting for ${codes.join(', ')}; saw ${JSON.stringify(seen)}`));
    }, timeoutMs);
    const sub = vscode.languages.onDidChangeDiagnostics(() => {
      const got = ready();
      if (!got) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(got);
    });
  });
}

describe('Language server in VS Code (installed VSIX)', () => {
  before(async () => {
    const ext = vscode.extensions.getExtension<StudioTestApi>('protoext.protoext-studio');
    assert.ok(ext);
    const api = ext.isActive ? ext.exports : await ext.activate();
    await api.whenLanguageClientRunning(30_000);
  });

  it('shows a broken script\'s problems in the Problems view, at the right lines', async () => {
    const doc = await writeAndOpen('broken-e2e.lua', BROKEN);
    const diags = await diagnosticsWith(doc.uri, ['protoext.bad-event', 'protoext.global-assignment']);
    const badEvent = diags.find((d) => String(typeof d.code === 'object' ? d.code.value : d.code) === 'protoext.bad-event');
    assert.ok(badEvent);
    assert.equal(badEvent.range.start.line, 2, 'the bad event is on line 3');
    assert.match(badEvent.message, /DATA|EOM/);
    const typo = diags.find((d) => String(typeof d.code === 'object' ? d.code.value : d.code) === 'protoext.global-assignment');
    assert.ok(typo);
    assert.equal(typo.range.start.line, 3);
    await report({ kind: 'note', text: `broken script: ${diags.length} diagnostics: ${diags.map((d) => d.message).join(' | ')}` });
  });

  it('offers send and pipe after `ns.`, and hover on ns.pipe shows its documentation', async () => {
    const doc = await writeAndOpen('complete-e2e.lua', GOOD);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(1, 7), '.');
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(labels.includes('send'), `completion after ns. lacks send: ${labels.join(', ')}`);
    assert.ok(labels.includes('pipe'), `completion after ns. lacks pipe: ${labels.join(', ')}`);
    assert.ok(!labels.includes('execute'), 'completion after ns. offers something that is not in the catalog');

    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(2, 8));
    const text = hovers
      .flatMap((h) => h.contents)
      .map((c) => (typeof c === 'string' ? c : c.value))
      .join('\n');
    assert.match(text, /ns\.pipe/);
    assert.match(text, /callback is not called again|straight to/i, `hover text was: ${text}`);
  });
});
