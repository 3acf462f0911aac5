// The debugger runs the LB's own engine: top-level lines take breakpoints (hook set before the main chunk), and the sandbox is the LB's.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadExtension } from '../../../runtime/ns/loadExtension';
import { CONNECT_311_TEST, launchWithBreakpoints, startHarness, topFrame } from './sessionHarness';

function script(name: string, text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'protoext-same-')), name);
  writeFileSync(file, text);
  return file;
}

test('a breakpoint on a top-level line stops in the main chunk before any delivery', async () => {
  const file = script('top.lua', 'local LIMIT = 3\nlocal seen = 0\nfunction client.on_data(ctxt, payload)\n  ns.pipe(ctxt.input, ctxt.output)\nend\n');
  const h = await startHarness();
  try {
    const stop = await launchWithBreakpoints(h.dc, { program: file, packet: CONNECT_311_TEST }, [2]);
    assert.equal(stop.body.reason, 'breakpoint');
    const frame = await topFrame(h.dc);
    assert.equal(frame.line, 2);
    assert.equal(frame.name, 'main chunk');
    const r = await h.dc.evaluateRequest({ expression: 'LIMIT', frameId: frame.id });
    assert.equal(r.body.result, '3');
  } finally {
    await h.close();
  }
});

test('a script that reaches for os.execute stops with exactly the message the LB engine gives', async () => {
  const source = 'function client.on_data(ctxt, payload)\n  os.execute("true")\nend\n';
  const file = script('escape.lua', source);
  const ext = await loadExtension(source, file);
  const lbError = ext.openConnection({ client: { ip: '127.0.0.1', port: 1, localIp: '127.0.0.1', localPort: 2 }, vserver: { name: 'v', params: {} } })
    .onClientData(Buffer.from(CONNECT_311_TEST, 'hex')).error;
  ext.dispose();
  assert.ok(lbError, "the LB engine refuses os.execute");
  const h = await startHarness();
  try {
    const stop = await launchWithBreakpoints(h.dc, { program: file, packet: CONNECT_311_TEST }, []);
    assert.equal(stop.body.reason, 'exception');
    assert.match(stop.body.text ?? '', /os is not available/);
    // The engine positions its message at the file as the LB names it; the debugger sees Lua's chunk-name form of the same text.
    assert.equal((stop.body.text ?? '').replace(/^escape\.lua:/, `${file}:`), lbError.message);
    assert.equal((await topFrame(h.dc)).line, 2);
  } finally {
    await h.close();
  }
});
