// ns.logger: string.format rules, level, connection and file:line on each line, a threshold, and errors at the script's line.
import test from 'node:test';
import assert from 'node:assert/strict';
import { loadExtension } from '../../../runtime/ns/loadExtension';
import type { LogEntry, LogLevel } from '../../../runtime/ns/types';
import { connect, loadInline } from './nsHarness';

const bytes = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'latin1'));

function loadLogging(source: string, level: LogLevel): Promise<{ ext: Awaited<ReturnType<typeof loadExtension>>; lines: LogEntry[] }> {
  const lines: LogEntry[] = [];
  return loadExtension(source, 'logging.lua', { log: { level, sink: (e) => lines.push(e) } }).then((ext) => ({ ext, lines }));
}

test('ns.logger:info formats like string.format and carries level, connection and file:line', async () => {
  const { ext, lines } = await loadLogging(`ns.logger:notice("loaded %s", "ok")
function client.on_data(ctxt, payload)
  ns.logger:info("saw %d bytes, first %q", payload.data:len(), payload.data:sub(1, 1))
end`, 'debug');
  const conn = connect(ext);
  assert.equal(conn.onClientData(bytes('abcde')).error, null);
  assert.deepEqual(lines, [
    { level: 'notice', conn: null, file: 'logging.lua', line: 1, message: 'loaded ok' },
    { level: 'info', conn: 1, file: 'logging.lua', line: 3, message: 'saw 5 bytes, first "a"' },
  ]);
  ext.dispose();
});

test('every documented level exists; the threshold keeps the more severe ones and formats nothing below it', async () => {
  const { ext, lines } = await loadLogging(`function client.on_data(ctxt, payload)
  for _, level in ipairs({"emergency", "alert", "critical", "error", "warning", "notice", "info", "debug"}) do
    ns.logger[level](ns.logger, "%s", level)
  end
  ns.logger:debug("%d", "not a number: below the threshold, never formatted")
end`, 'warning');
  assert.equal(connect(ext).onClientData(bytes('x')).error, null);
  assert.deepEqual(lines.map((l) => l.level), ['emergency', 'alert', 'critical', 'error', 'warning']);
  ext.dispose();
});

test('a bad format argument is a runtime error at the calling line, as string.format would be', async () => {
  const { ext, lines } = await loadLogging(`function client.on_data(ctxt, payload)
  local n = payload.data:len()
  ns.logger:info("saw %d bytes", "many")
end`, 'info');
  const r = connect(ext).onClientData(bytes('x'));
  assert.equal(r.error?.kind, 'runtime');
  assert.equal(r.error?.line, 3);
  assert.match(r.error?.message ?? '', /^logging\.lua:3: bad argument #2 to 'ns\.logger:info' \(number expected, got string\)/);
  assert.deepEqual(lines, []);
  ext.dispose();
});

test('ns.logger.info called with a dot, and an unknown level, fail naming the API', async () => {
  const { ext } = await loadLogging(`function client.on_data(ctxt, payload)
  ns.logger.info("x")
end`, 'info');
  assert.match(connect(ext).onClientData(bytes('x')).error?.message ?? '', /^logging\.lua:2: ns\.logger:info must be called with a colon/);
  ext.dispose();
  const { ext: ext2 } = await loadLogging(`function client.on_data(ctxt, payload)
  ns.logger:verbose("x")
end`, 'info');
  assert.match(connect(ext2).onClientData(bytes('x')).error?.message ?? '', /^logging\.lua:2: ns\.logger:verbose is not emulated/);
  ext2.dispose();
});

test('without a log sink ns.logger does nothing and costs no formatting', async () => {
  const ext = await loadInline(`function client.on_data(ctxt, payload)
  ns.logger:error("%d", "never formatted")
  ns.send(ctxt.output, "EOM", {data = payload.data})
end`);
  const r = connect(ext).onClientData(bytes('x'));
  assert.equal(r.error, null);
  assert.equal(r.actions.length, 1);
  ext.dispose();
});
