// Under the debugger the script runs the LB's engine: split/hold deliver the held remainder only, and ns.logger lines reach the Debug Console at their source line.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { startHarness } from './sessionHarness';

const SCRIPT = `function client.on_data(ctxt, payload)
  ns.logger:info("saw %d bytes", payload.data:len())
  local nl = payload.data:find("\\n", 1, true)
  if not nl then ctxt:hold(payload.data) return end
  local line, rest = payload.data:split(nl)
  ns.send(ctxt.output, "EOM", {data = line})
  ctxt:hold(rest)
end
`;

test('a debugged run: each delivery gets only the held remainder, and ns.logger lines are Debug Console output with source and line', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'protoext-log-')), 'lines.lua');
  writeFileSync(file, SCRIPT);
  const h = await startHarness();
  try {
    const outputs: DebugProtocol.OutputEvent[] = [];
    h.dc.on('output', (e) => outputs.push(e as DebugProtocol.OutputEvent));
    const terminated = h.dc.waitForEvent('terminated');
    await Promise.all([
      h.dc.waitForEvent('initialized').then(() => h.dc.configurationDoneRequest()),
      h.dc.launch({ program: file, packet: Buffer.from('ab\ncdef\n').toString('hex'), chunks: [5] } as DebugProtocol.LaunchRequestArguments),
    ]);
    await terminated;
    const logs = outputs.filter((o) => o.body.output.startsWith('ns.logger'));
    // "ab\ncd": 5 bytes; then the held "cd" + "ef\n": 5 bytes again (the sent "ab\n" is not redelivered).
    assert.deepEqual(logs.map((o) => [o.body.output, o.body.line, o.body.source?.path]), [
      ['ns.logger [info] #1: saw 5 bytes\n', 2, file],
      ['ns.logger [info] #1: saw 5 bytes\n', 2, file],
    ]);
    assert.equal(outputs.filter((o) => /ns\.send EOM/.test(o.body.output)).length, 2);
  } finally {
    await h.close();
  }
});
